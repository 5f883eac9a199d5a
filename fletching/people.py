"""``[project] authors`` and ``maintainers``: tables of a name and an email address."""

from __future__ import annotations

from ._validate import Collector
from .metadata import Person


def parse_people(c: Collector, value: object, key: str) -> tuple[Person, ...] | None:
    """An array of people; a table with neither name nor email is left out, with a warning."""
    items = c.typed(value, list, key)
    if items is None:
        return None
    people = []
    for index, item in enumerate(items):
        item_key = f"{key}[{index}]"
        table = c.typed(item, dict, item_key)
        if table is None:
            continue
        c.unknown_keys(table, ("name", "email"), item_key)
        name = table.get("name")
        email = table.get("email")
        if name is not None:
            name = c.typed(name, str, f"{item_key}.name")
            if name is not None and c.single_line(name, f"{item_key}.name") and "," in name:
                # The specification forbids it, yet flit_core writes such a name (quoted
                # before an email) and the index takes it.
                c.warn(
                    f"{item_key}.name",
                    f"{name!r} contains a comma, which the pyproject"
                    " specification forbids; give each person a table of their own, e.g."
                    f' {key.rsplit(" ", 1)[-1]} = [{{name = "Ann"}}, {{name = "Bob"}}]',
                )
        if email is not None:
            email = c.typed(email, str, f"{item_key}.email")
            if (
                email is not None
                and c.single_line(email, f"{item_key}.email")
                and not _plain_address(email)
            ):
                if name is None and _addresses(email):
                    # "Ann <ann@example.org>" or "a@x.org, b@y.org": not one address as
                    # the specification wants, but flit_core writes it as it is, and it
                    # reads back as valid addresses.
                    c.warn(
                        f"{item_key}.email",
                        f"{email!r} is not one email address;"
                        f" give each person a table of their own, e.g. {key.rsplit(' ', 1)[-1]}"
                        ' = [{name = "Ann", email = "ann@example.org"}]',
                    )
                else:
                    c.error(f"{item_key}.email", f"{email!r} is not a valid email address")
        if name is None and email is None:
            if table:
                continue  # an error was recorded for its keys
            # The specification wants one of the two; flit_core writes nothing for it.
            c.warn(
                item_key,
                "the table has neither name nor email, so it is left"
                ' out; remove it, or write {name = "Ann", email = "ann@example.org"}',
            )
            continue
        people.append(Person(name, email))
    return tuple(people)


def _plain_address(text: str) -> bool:
    return text.count("@") == 1 and "," not in text and " " not in text.strip()


def _addresses(text: str) -> bool:
    """Whether ``text`` is a list of RFC 5322 mailboxes, each with a plain address."""
    import email.utils

    found = email.utils.getaddresses([text])
    return bool(found) and all(_plain_address(address) for _, address in found)
