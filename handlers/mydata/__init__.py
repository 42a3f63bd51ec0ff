"""The person's own data: /mydata sends everything stored about them, /deleteaccount
deletes the account."""
