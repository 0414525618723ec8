class PortfolioError(Exception):
    """A move the rules do not allow. Its message is written for the person who tried it."""


class UploadRejected(PortfolioError):
    """Files that may not become evidence, each with the reason, so the page can put each
    message beside its own file."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))
