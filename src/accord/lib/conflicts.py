class Conflict(Exception):
    """Someone else saved first. The caller shows `current` beside what the person typed,
    instead of overwriting it."""

    def __init__(self, current: object) -> None:
        super().__init__("saved meanwhile by someone else")
        self.current = current
