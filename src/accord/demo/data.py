"""Who is in the demo workspaces. Later capabilities add their own steps to `demo.builders`."""

from typing import Final, NamedTuple

from accord.workspaces.models import Role

PASSWORD: Final = "accord-demo"  # noqa: S105 (the published demo password)


class Person(NamedTuple):
    email: str
    name: str
    role: str
    time_zone: str


NORTHWIND: Final = ("Northwind Labs", "northwind", "Europe/London")
NORTHWIND_PEOPLE: Final = [
    Person("admin@northwind.example", "Ada Lindqvist", Role.ADMIN, "Europe/London"),
    Person("riya@northwind.example", "Riya Patel", Role.RECRUITER, "Europe/London"),
    Person("marcus@northwind.example", "Marcus Chen", Role.RECRUITER, "America/New_York"),
    Person("hannah@northwind.example", "Hannah Okafor", Role.HIRING_MANAGER, "Europe/London"),
    Person("david@northwind.example", "David Müller", Role.HIRING_MANAGER, "Europe/Berlin"),
    Person("sofia@northwind.example", "Sofia Alvarez", Role.HIRING_MANAGER, "America/New_York"),
    Person("tom@northwind.example", "Tom Becker", Role.INTERVIEWER, "Europe/Berlin"),
    Person("grace@northwind.example", "Grace Kim", Role.INTERVIEWER, "Europe/London"),
    Person("omar@northwind.example", "Omar Haddad", Role.INTERVIEWER, "Asia/Dubai"),
]
NORTHWIND_INVITED: Final = [("lena@northwind.example", Role.HIRING_MANAGER)]

# An agency workspace Riya also belongs to, to show switching between workspaces.
GLOBEX: Final = ("Globex Search Partners", "globex", "America/New_York")
GLOBEX_PEOPLE: Final = [
    Person("riya@northwind.example", "Riya Patel", Role.ADMIN, "Europe/London"),
    Person("jules@globex.example", "Jules Martin", Role.HIRING_MANAGER, "America/New_York"),
]


def logins() -> list[Person]:
    """Each demo account once, in the order a newcomer should try them."""
    seen: dict[str, Person] = {}
    for person in NORTHWIND_PEOPLE + GLOBEX_PEOPLE:
        seen.setdefault(person.email, person)
    return list(seen.values())
