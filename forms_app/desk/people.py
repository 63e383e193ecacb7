"""How the review pages name a person: the full name people know them by, else the user name."""

NOBODY = "—"


def person_name(user, empty=NOBODY):
    """``user``'s full name, else their user name; ``empty`` (a dash by default) for nobody."""
    if user is None or user == "":
        return empty
    return user.get_full_name() or user.get_username()
