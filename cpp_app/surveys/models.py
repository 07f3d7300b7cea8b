"""Community surveys: questions and options translated per language, and anonymous responses."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, UTCDateTime, utcnow
from cpp_app.stations.models import Station

QUESTION_KINDS = {
    "agree5": "Agreement, 5-point scale",
    "scale10": "Scale from 0 to 10",
    "single": "Single choice",
    "multiple": "Multiple choice",
    "ranking": "Ranking of priorities",
    "text": "Free text",
    "neighbourhood": "Neighbourhood or beat",
}
CHOICE_KINDS = frozenset({"single", "multiple", "ranking", "neighbourhood"})
SCALE_KINDS = frozenset({"agree5", "scale10"})
INDEX_ROLES = {"": "Not part of an index", "trust": "Trust index", "safety": "Safety index"}
SURVEY_STATUSES = {"draft": "Draft", "open": "Open", "closed": "Closed"}
MAX_TEXT_ANSWER = 5000


def new_slug() -> str:
    """A short, unguessable public address for a survey."""
    return secrets.token_urlsafe(6).replace("_", "x").replace("-", "y").lower()


class Survey(IdMixin, TimestampMixin, db.Model):
    """A survey for one station or the whole department, in one or more languages."""

    __tablename__ = "surveys"

    slug: Mapped[str] = mapped_column(String(40), unique=True, default=new_slug)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["en"])
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    introduction: Mapped[dict] = mapped_column(JSON, default=dict)
    thank_you: Mapped[dict] = mapped_column(JSON, default=dict)

    station: Mapped[Station | None] = relationship()
    owner: Mapped[User | None] = relationship()
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )

    def __repr__(self) -> str:
        return f"<Survey {self.slug}>"

    @property
    def default_language(self) -> str:
        """The first of the survey's languages."""
        return (self.languages or ["en"])[0]

    def text(self, field: str, language: str) -> str:
        """A translated survey text (title, introduction, thank_you) in `language`."""
        values = getattr(self, field) or {}
        return values.get(language) or values.get(self.default_language) or ""

    @property
    def display_title(self) -> str:
        """The title in the survey's first language."""
        return self.text("title", self.default_language) or f"Survey {self.slug}"

    def accepts_responses(self, today: date) -> bool:
        """Open, and within its dates."""
        return (self.status == "open"
                and (self.opens_on is None or self.opens_on <= today)
                and (self.closes_on is None or today <= self.closes_on))

    def availability(self, today: date) -> str:
        """'open', 'not_yet_open' or 'closed' for the public page."""
        if self.status == "open" and self.opens_on and today < self.opens_on:
            return "not_yet_open"
        if self.status == "draft":
            return "not_yet_open"
        return "open" if self.accepts_responses(today) else "closed"


class SurveyQuestion(IdMixin, db.Model):
    """A question, its prompt per language, and its options when it has them."""

    __tablename__ = "survey_questions"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=False)
    index_role: Mapped[str] = mapped_column(String(10), default="")
    prompt: Mapped[dict] = mapped_column(JSON, default=dict)
    help_text: Mapped[dict] = mapped_column(JSON, default=dict)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question", cascade="all, delete-orphan",
        order_by="QuestionOption.position",
    )

    @property
    def kind_label(self) -> str:
        """The kind as shown to people."""
        return QUESTION_KINDS.get(self.kind, self.kind)

    @property
    def has_options(self) -> bool:
        """Whether respondents choose from a list."""
        return self.kind in CHOICE_KINDS or self.kind == "agree5"

    @property
    def scale_range(self) -> tuple[int, int] | None:
        """(lowest, highest) for scale questions."""
        return {"agree5": (1, 5), "scale10": (0, 10)}.get(self.kind)

    def text(self, language: str) -> str:
        """The prompt in `language` (falling back to the survey's first language)."""
        return self.prompt.get(language) or self.prompt.get(self.survey.default_language, "")

    def help(self, language: str) -> str:
        """The help text in `language`, if any."""
        values = self.help_text or {}
        return values.get(language) or values.get(self.survey.default_language, "")


class QuestionOption(IdMixin, db.Model):
    """A choice offered by a question, labelled per language."""

    __tablename__ = "survey_question_options"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    value: Mapped[str] = mapped_column(String(60))
    label: Mapped[dict] = mapped_column(JSON, default=dict)

    question: Mapped[SurveyQuestion] = relationship(back_populates="options")

    def text(self, language: str, default_language: str) -> str:
        """The label in `language` (falling back to the default language)."""
        return self.label.get(language) or self.label.get(default_language, self.value)


class SurveyResponse(IdMixin, db.Model):
    """One anonymous submission: when, in which language. No address or identity is kept."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_survey_submitted", "survey_id", "submitted_on"),)

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    submitted_on: Mapped[date]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    language: Mapped[str] = mapped_column(String(16))

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class SurveyAnswer(IdMixin, db.Model):
    """One answer: a number for scales, an option (with its rank) for choices, or text."""

    __tablename__ = "survey_answers"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[float | None]
    option_value: Mapped[str | None] = mapped_column(String(60))
    rank: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
