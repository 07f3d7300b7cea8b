"""The built-in trust and safety template: the widely used core items, ready to adapt.

The items follow common police-community trust surveys: feeling safe in the neighbourhood;
police treating residents with respect; police listening to and taking account of residents'
concerns; and the one issue people most want police to deal with. Their trust and safety
indices are comparable with published 0–100 sentiment scores (e.g. Chicago's
safety, t_respect and t_listen).
"""

from __future__ import annotations

from cpp_app.surveys.kinds import QuestionKind
from cpp_app.surveys.models import IndexRole

TEMPLATE_LANGUAGES = ("en", "es", "zh", "vi", "ko")

TITLE = {
    "en": "Community safety and trust survey",
    "es": "Encuesta sobre seguridad y confianza en la comunidad",
    "zh": "社区安全与信任调查",
    "vi": "Khảo sát về an toàn và lòng tin trong cộng đồng",
    "ko": "지역사회 안전 및 신뢰 설문조사",
}
INTRODUCTION = {
    "en": "Tell us how safe you feel and how police serve your neighbourhood. The survey is "
          "anonymous and takes about three minutes.",
    "es": "Díganos qué tan seguro/a se siente y cómo la policía atiende a su vecindario. La "
          "encuesta es anónima y toma unos tres minutos.",
    "zh": "请告诉我们您感觉有多安全，以及警察如何服务您的社区。本调查为匿名调查，大约需要三分钟。",
    "vi": "Hãy cho chúng tôi biết bạn cảm thấy an toàn như thế nào và cảnh sát phục vụ khu phố "
          "của bạn ra sao. Khảo sát này ẩn danh và mất khoảng ba phút.",
    "ko": "얼마나 안전하다고 느끼시는지, 경찰이 동네를 어떻게 돕고 있는지 "
          "알려 주세요. 설문은 익명이며 약 3분 정도 걸립니다.",
}
THANK_YOU = {
    "en": "Thank you. Your answers help shape your station's Community Policing Plan.",
    "es": "Gracias. Sus respuestas ayudan a definir el Plan de Policía Comunitaria de su "
          "estación.",
    "zh": "谢谢您。您的回答将帮助制定您所在警局的社区警务计划。",
    "vi": "Xin cảm ơn. Câu trả lời của bạn giúp xây dựng Kế hoạch Cảnh sát Cộng đồng của đồn "
          "cảnh sát khu vực bạn.",
    "ko": "감사합니다. 여러분의 답변은 관할 경찰서의 지역사회 치안 계획을 만드는 데 도움이 됩니다.",
}

AGREE5_OPTIONS = [
    ("1", {"en": "Strongly disagree", "es": "Totalmente en desacuerdo", "zh": "非常不同意",
           "vi": "Hoàn toàn không đồng ý", "ko": "전혀 동의하지 않음"}),
    ("2", {"en": "Disagree", "es": "En desacuerdo", "zh": "不同意", "vi": "Không đồng ý",
           "ko": "동의하지 않음"}),
    ("3", {"en": "Neither agree nor disagree", "es": "Ni de acuerdo ni en desacuerdo",
           "zh": "既不同意也不反对", "vi": "Không đồng ý cũng không phản đối", "ko": "보통"}),
    ("4", {"en": "Agree", "es": "De acuerdo", "zh": "同意", "vi": "Đồng ý", "ko": "동의함"}),
    ("5", {"en": "Strongly agree", "es": "Totalmente de acuerdo", "zh": "非常同意",
           "vi": "Hoàn toàn đồng ý", "ko": "매우 동의함"}),
]

QUESTIONS = [
    {
        "code": "feel_safe", "kind": QuestionKind.AGREE5, "required": True,
        "index_role": IndexRole.SAFETY, "options": AGREE5_OPTIONS,
        "prompt": {
            "en": "I feel safe in my neighbourhood.",
            "es": "Me siento seguro/a en mi vecindario.",
            "zh": "我在我的社区感到安全。",
            "vi": "Tôi cảm thấy an toàn trong khu phố của mình.",
            "ko": "나는 우리 동네에서 안전하다고 느낀다.",
        },
    },
    {
        "code": "feel_safe_night", "kind": QuestionKind.AGREE5, "required": False,
        "index_role": IndexRole.SAFETY, "options": AGREE5_OPTIONS,
        "prompt": {
            "en": "I feel safe walking alone in my neighbourhood after dark.",
            "es": "Me siento seguro/a caminando solo/a por mi vecindario de noche.",
            "zh": "天黑后我独自在社区里行走时感到安全。",
            "vi": "Tôi cảm thấy an toàn khi đi bộ một mình trong khu phố sau khi trời tối.",
            "ko": "나는 해가 진 뒤 우리 동네를 혼자 걸어도 안전하다고 느낀다.",
        },
    },
    {
        "code": "police_respect", "kind": QuestionKind.AGREE5, "required": True,
        "index_role": IndexRole.TRUST, "options": AGREE5_OPTIONS,
        "prompt": {
            "en": "Police in my neighbourhood treat residents with respect.",
            "es": "La policía de mi vecindario trata a los residentes con respeto.",
            "zh": "我所在社区的警察尊重居民。",
            "vi": "Cảnh sát trong khu phố của tôi đối xử với cư dân một cách tôn trọng.",
            "ko": "우리 동네 경찰은 주민을 존중한다.",
        },
    },
    {
        "code": "police_listen", "kind": QuestionKind.AGREE5, "required": True,
        "index_role": IndexRole.TRUST, "options": AGREE5_OPTIONS,
        "prompt": {
            "en": "Police listen to and take into account the concerns of residents.",
            "es": "La policía escucha y toma en cuenta las preocupaciones de los residentes.",
            "zh": "警察倾听并考虑居民关心的问题。",
            "vi": "Cảnh sát lắng nghe và xem xét những mối quan tâm của cư dân.",
            "ko": "경찰은 주민들의 우려에 귀 기울이고 이를 반영한다.",
        },
    },
    {
        "code": "trust_overall", "kind": QuestionKind.SCALE10, "required": False,
        "index_role": IndexRole.TRUST,
        "prompt": {
            "en": "How much do you trust the police in your neighbourhood? "
                  "(0 = not at all, 10 = completely)",
            "es": "¿Cuánto confía en la policía de su vecindario? (0 = nada, 10 = totalmente)",
            "zh": "您对所在社区的警察有多信任？（0 = 完全不信任，10 = 完全信任）",
            "vi": "Bạn tin tưởng cảnh sát trong khu phố của mình đến mức nào? "
                  "(0 = hoàn toàn không, 10 = hoàn toàn tin tưởng)",
            "ko": "우리 동네 경찰을 얼마나 신뢰하십니까? "
                  "(0 = 전혀 신뢰하지 않음, 10 = 완전히 신뢰함)",
        },
    },
    {
        "code": "top_issue", "kind": QuestionKind.TEXT, "required": False,
        "index_role": IndexRole.NONE,
        "prompt": {
            "en": "What is the one issue you most want police to deal with in your "
                  "neighbourhood?",
            "es": "¿Cuál es el problema que más desea que la policía atienda en su vecindario?",
            "zh": "您最希望警察在您的社区处理的一个问题是什么？",
            "vi": "Vấn đề nào bạn muốn cảnh sát giải quyết nhất trong khu phố của mình?",
            "ko": "우리 동네에서 경찰이 가장 먼저 해결해 주기를 바라는 문제는 무엇입니까?",
        },
    },
]


def template_questions(languages: list[str]) -> list[dict]:
    """The template's questions with texts in the chosen languages (others left out)."""
    chosen = [code for code in languages if code in TEMPLATE_LANGUAGES]

    def pick(texts: dict) -> dict:
        return {code: texts[code] for code in chosen}

    return [dict(question, prompt=pick(question["prompt"]),
                 options=[(value, pick(label)) for value, label in question.get("options", [])])
            for question in QUESTIONS]
