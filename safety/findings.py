"""What a safety rule found, as data (pure, no Django): a code and its values, worded by safety.messages."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    code: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        from .messages import finding_text  # words need Django's translations; the rules do not

        return str(finding_text(self))
