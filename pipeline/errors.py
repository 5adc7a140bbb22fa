"""One exception hierarchy; the CLI maps it to exit codes in one place."""


class TelegramsError(Exception):
    """Base: carries the exit code the CLI returns for it."""

    exit_code = 1


class UsageError(TelegramsError):
    exit_code = 2


class EnvironmentProblem(TelegramsError):
    """Tesseract or its rus data missing, output folder unwritable: fix the machine, not the input."""

    exit_code = 3


class StageError(TelegramsError):
    """A document could not pass a stage; the batch goes on, the document is marked failed."""

    exit_code = 1


class InputError(StageError):
    """The file cannot be read as an image or PDF."""


class Busy(TelegramsError):
    """Another run is writing to the same output folder."""

    exit_code = 4
