"""Community surveys: questions and options translated per language, and anonymous responses."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpp_app.auth.models import User
from cpp_app.enums import LabelledEnum
from cpp_app.extensions import db
from cpp_app.models import IdMixin, TimestampMixin, UTCDateTime, utcnow
from cpp_app.stations.models import Station
from cpp_app.surveys.kinds import KindRules, QuestionKind, rules_for


class SurveyStatus(LabelledEnum):
    """A survey's life: built as a draft, open for responses, then closed."""

    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class SurveyAvailability(LabelledEnum):
    """What the public form says of a survey today."""

    OPEN = "open", "Open"
    NOT_YET_OPEN = "not_yet_open", "Not yet open"
    CLOSED = "closed", "Closed"


class IndexRole(LabelledEnum):
    """Which index a scale question counts toward, if any."""

    NONE = "", "Not part of an index"
    TRUST = "trust", "Trust index"
    SAFETY = "safety", "Safety index"


#: The indices computed for every survey, in the order they are shown.
SURVEY_INDICES = (IndexRole.TRUST, IndexRole.SAFETY)


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
    status: Mapped[str] = mapped_column(String(10), default=SurveyStatus.DRAFT, index=True)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    languages: Mapped[list] = mapped_column(JSON, default=lambda: ["en"])
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    introduction: Mapped[dict] = mapped_column(JSON, default=dict)
    thank_you: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Whether one device may answer more than once (a kiosk at a meeting); otherwise a
    #: device that has answered is thanked instead of shown the form again.
    allow_repeat_responses: Mapped[bool] = mapped_column(default=False)

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

    def title_in(self, language: str) -> tuple[str, str]:
        """(title, the language it is written in): in `language` when the survey has it."""
        titles = self.title or {}
        if titles.get(language):
            return titles[language], language
        return self.display_title, self.default_language

    def link_language(self, language: str) -> str:
        """The language to open the form in: `language` when offered, else the first."""
        return language if language in (self.languages or []) else self.default_language

    @property
    def display_title(self) -> str:
        """The title in the survey's first language."""
        return self.text("title", self.default_language) or f"Survey {self.slug}"

    def accepts_responses(self, today: date) -> bool:
        """Open, and within its dates."""
        return (self.status == SurveyStatus.OPEN
                and (self.opens_on is None or self.opens_on <= today)
                and (self.closes_on is None or today <= self.closes_on))

    def availability(self, today: date) -> SurveyAvailability:
        """Open, not yet open or closed, for the public page."""
        if self.status == SurveyStatus.OPEN and self.opens_on and today < self.opens_on:
            return SurveyAvailability.NOT_YET_OPEN
        if self.status == SurveyStatus.DRAFT:
            return SurveyAvailability.NOT_YET_OPEN
        if self.accepts_responses(today):
            return SurveyAvailability.OPEN
        return SurveyAvailability.CLOSED


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
    index_role: Mapped[str] = mapped_column(String(10), default=IndexRole.NONE)
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
        return QuestionKind.label_of(self.kind)

    @property
    def rules(self) -> KindRules:
        """How the question's kind is drawn, read, summarised and exported."""
        return rules_for(self.kind)

    @property
    def has_options(self) -> bool:
        """Whether respondents choose from a list."""
        return self.rules.options.takes_options

    @property
    def scale_range(self) -> tuple[int, int] | None:
        """(lowest, highest) for scale questions."""
        return self.rules.scale

    def answer(self, **values: float | str) -> SurveyAnswer:
        """A new answer to the question: a number, an option (with its rank) or a text."""
        return SurveyAnswer(question_id=self.id, **values)

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
