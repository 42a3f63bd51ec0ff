"""The default category taxonomy of the marketplace."""

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "Software Development",
    "Web & Mobile",
    "Design & Creative",
    "Writing & Translation",
    "Marketing & Sales",
    "Data & Analytics",
    "Admin & Support",
    "Finance & Accounting",
    "Legal",
    "Education & Tutoring",
    "Engineering & Architecture",
    "Other",
)
