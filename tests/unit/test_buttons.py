"""The callback-data codec: every button round-trips, forged data decodes to nothing."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import fields
from enum import StrEnum
from typing import Any, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import CallbackQuery, Update
from telegram import User as TelegramUser

import handlers
from domain.dashboard import LeadList
from domain.errors import DomainError
from domain.model import SignupStage
from handlers.core import texts
from handlers.core.callbacks import Button, StaleButton
from handlers.dashboard.buttons import DashboardList
from handlers.deals.buttons import OfferAccept
from handlers.leads.buttons import LeadConnect, NewLeadButton, NewLeadPublish
from handlers.menu.buttons import MenuButton, MenuHelp, MenuOpen
from handlers.profile.buttons import CredentialRemove, ProfileEdit
from handlers.providers.buttons import (
    ProviderDocuments,
    ProviderFiles,
    ProviderInviteTo,
    ProviderResume,
)
from handlers.signup.buttons import SignupRole, SignupSkip

# Every feature keeps its buttons in handlers/<feature>/buttons.py: import them all.
for feature in pkgutil.iter_modules(handlers.__path__):
    if feature.ispkg and importlib.util.find_spec(f"handlers.{feature.name}.buttons"):
        importlib.import_module(f"handlers.{feature.name}.buttons")

BUTTONS = sorted(Button._kinds.values(), key=lambda kind: (kind.area, kind.action))


def field_strategy(kind: object) -> st.SearchStrategy[Any]:
    if kind is int:
        return st.integers(min_value=0, max_value=2**31 - 1)  # what an id column holds
    if kind is str:
        return st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True)
    assert isinstance(kind, type) and issubclass(kind, StrEnum)
    return st.sampled_from(list(kind))


def instances(kind: type[Button]) -> st.SearchStrategy[Button]:
    hints = get_type_hints(kind)
    return st.builds(
        kind,
        **{f.name: field_strategy(hints[f.name]) for f in fields(kind)},  # type: ignore[arg-type]
    )


def test_every_feature_has_its_buttons_registered() -> None:
    areas = {kind.area for kind in BUTTONS}
    assert {"ld", "nl", "of", "th", "pv", "su", "pf", "cr", "st", "mn", "ds"} <= areas


@pytest.mark.parametrize("kind", BUTTONS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_every_button_round_trips_and_matches_only_itself(
    kind: type[Button], data: st.DataObject
) -> None:
    pressed = data.draw(instances(kind))
    encoded = pressed.encode()
    assert len(encoded.encode()) <= 64
    assert encoded.startswith(f"v1:{kind.area}:{kind.action}")
    assert kind.decode(encoded) == pressed
    assert Button.decode(encoded) == pressed
    assert [other for other in BUTTONS if other.matches(encoded)] == [kind]


def test_the_wire_format_of_earlier_messages_still_decodes() -> None:
    assert LeadConnect(42).encode() == "v1:ld:connect:42"
    assert MenuOpen().encode() == "v1:mn:open"
    assert DashboardList(LeadList.MINE, 10).encode() == "v1:ds:list:mine.10"
    assert ProviderInviteTo(2, 5).encode() == "v1:pv:inv:2.5"
    assert CredentialRemove.decode("v1:cr:rm:education.3") == CredentialRemove("education", 3)
    assert SignupSkip.decode("v1:su:skip:location") == SignupSkip(SignupStage.LOCATION)
    assert ProfileEdit.decode("v1:pf:edit:display_name") == ProfileEdit("display_name")


def test_a_family_decodes_any_of_its_members_and_nothing_else() -> None:
    assert MenuButton.decode("v1:mn:help") == MenuHelp()
    assert MenuButton.decode("v1:ld:view:1") is None
    assert NewLeadButton.decode("v1:nl:publish") == NewLeadPublish()
    assert ProviderFiles.decode("v1:pv:resume:7") == ProviderResume(7)
    assert ProviderFiles.decode("v1:pv:docs:7") == ProviderDocuments(7)
    assert ProviderFiles.decode("v1:pv:view:7") is None


HUGE = "9" * 13


@pytest.mark.parametrize(
    "data",
    [
        None,
        42,
        "",
        "garbage",
        "v1",
        "v1:ld",
        "v2:ld:view:1",
        "V1:ld:view:1",
        ":ld:view:1",
        "v1:ld:view",  # the id is missing
        "v1:ld:view:",  # an empty id
        "v1:ld:view:1:2",  # an extra part
        "v1:ld:view:1.2",  # an extra field
        "v1:ld:view:-1",
        "v1:ld:view:+1",
        "v1:ld:view:1e3",
        "v1:ld:view:abc",
        "v1:ld:view:٣",  # a digit, but not an ASCII one
        "v1:ld:view:²",
        "v1:ld:view:1\n",
        f"v1:ld:view:{HUGE}",
        f"v1:ds:list:mine.{HUGE}",
        "v1:ds:list:mine",
        "v1:ds:list:everything.0",
        "v1:pv:inv:2",
        "v1:su:role:admin",
        "v1:su:skip:nowhere",
        "v1:st:alerts:maybe",
        "v1:pf:edit:name with spaces",
        "v1:pf:edit:<script>",
        "v1:pf:edit:ünïcode",
        "v1:mn:open:1",  # a button without fields takes none
        "v1:zz:view:1",  # an unknown area
        "v1:ld:explode:1",  # an unknown action
        "v1:ld:view:1" + "0" * 60,  # longer than Telegram allows
    ],
)
def test_forged_stale_or_absurd_data_decodes_to_nothing(data: object) -> None:
    assert Button.decode(data) is None
    assert not any(kind.matches(data) for kind in BUTTONS)


@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes_the_decoder(data: str) -> None:
    pressed = Button.decode(data)
    assert pressed is None or pressed.encode() == data


def test_a_button_refuses_values_the_codec_reserves() -> None:
    with pytest.raises(ValueError, match="reserves"):
        ProfileEdit("a.b").encode()
    with pytest.raises(ValueError, match="reserves"):
        ProfileEdit("a:b").encode()
    with pytest.raises(ValueError, match="longer than Telegram allows"):
        ProfileEdit("x" * 60).encode()


def test_two_buttons_cannot_share_an_action() -> None:
    with pytest.raises(ValueError, match="is taken"):

        class Again(Button, area="ld", action="view"):
            lead_id: int


def update_with(data: str) -> Update:
    query = CallbackQuery(
        "1", TelegramUser(1, "Ann", is_bot=False), chat_instance="chat", data=data
    )
    return Update(1, callback_query=query)


def test_a_handler_reads_its_typed_button_from_the_update() -> None:
    assert OfferAccept.of(update_with("v1:of:accept:12")).offer_id == 12
    assert SignupRole.of(update_with("v1:su:role:seller")) == SignupRole.decode("v1:su:role:seller")


@pytest.mark.parametrize(
    "data",
    ["v1:of:accept:x", "v1:of:decline:12", "v9:of:accept:12", "v1:of:accept:2147483648"],
)
def test_a_forged_button_is_one_sentence_for_the_user(data: str) -> None:
    with pytest.raises(StaleButton) as raised:
        OfferAccept.of(update_with(data))
    assert isinstance(raised.value, DomainError)
    assert raised.value.sentence == texts.STALE_BUTTON == "That button is no longer active."
