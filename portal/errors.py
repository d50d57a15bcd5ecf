"""The one exception services raise when a request breaks a business rule."""


class DomainError(Exception):
    """A refusal to show the user as is: ``message`` is already translated (or lazy).

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    """A record that does not exist or belongs to a school the user may not see."""
