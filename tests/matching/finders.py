"""A small stand-in taxonomy for engine tests that don't need the shipped one."""

import re
from dataclasses import dataclass

from accord.matching.engine import Found

SKILLS = {
    "python": ("t:python", "Python"),
    "kubernetes": ("t:kubernetes", "Kubernetes"),
    "k8s": ("t:kubernetes", "Kubernetes"),
    "postgresql": ("t:postgresql", "PostgreSQL"),
    "postgres": ("t:postgresql", "PostgreSQL"),
    "django": ("t:django", "Django"),
    "java": ("t:java", "Java"),
    "aws": ("t:aws", "Amazon Web Services"),
    "docker": ("t:docker", "Docker"),
    "sql": ("t:sql", "SQL"),
}


@dataclass
class DictFinder:
    skills: dict[str, tuple[str, str]]

    def extract(self, text: str) -> list[Found]:
        found = []
        for synonym, (ref, label) in self.skills.items():
            for m in re.finditer(rf"(?<!\w){re.escape(synonym)}(?!\w)", text, re.IGNORECASE):
                found.append(Found(ref, label, m.start(), m.end()))
        return sorted(found, key=lambda f: f.start)

    def resolve(self, label: str) -> tuple[str, str] | None:
        return self.skills.get(label.lower())


FINDER = DictFinder(SKILLS)
