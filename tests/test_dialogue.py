"""Conversation behaviour a visitor notices: follow-ups, clarify, refusals, triage."""

from pathlib import Path

import pytest

from bot import Bot
from bot.dialogue import URGENT_OPENING, Dialogue
from bot.retrieval import Candidate

PROJECT = Path(__file__).resolve().parent.parent


def ask_in_turn(bot, *messages):
    session = None
    replies = []
    for message in messages:
        reply = bot.reply(message, session)
        session = reply.session_id
        replies.append(reply)
    return replies


@pytest.mark.parametrize(("first", "follow_up", "expected"), [
    ("what are the side effects", "do those go away?", "side_effects_duration"),
    ("does it work on the thighs", "and my tummy?", "abdomen"),
    ("who can get it?", "what about older people?", "age"),
    ("how long until I see results", "why so long?", "collagen_time"),
    ("are the results dramatic", "compared to a face lift?", "vs_surgery"),
    ("can men have it", "what about older guys?", "age"),
    ("is it surgery", "so no cuts?", "no_cuts"),
])
def test_follow_up_uses_the_previous_turn(shipped_bot, first, follow_up, expected):
    replies = ask_in_turn(shipped_bot, first, follow_up)
    assert replies[1].type == "answer"
    assert replies[1].match["id"] == expected


def test_a_clear_follow_up_prefers_what_the_previous_answer_leads_to():
    """Alone, "does it hurt?" asks about the fitting; after "how is the implant removed" it is the removal's
    pain, one of that answer's follow-ups."""
    implant = Bot.load(PROJECT / "examples" / "contraceptive-implant")
    assert implant.reply("does it hurt?").match["id"] == "fitting_pain"
    replies = ask_in_turn(implant, "how is the implant removed", "does it hurt?")
    assert replies[1].type == "answer" and replies[1].match["id"] == "removal_pain"
    replies = ask_in_turn(implant, "How is it fitted?", "does it hurt?")
    assert replies[1].match["id"] == "fitting_pain"


def test_a_follow_up_with_no_topic_of_its_own_asks_about_the_previous_answer():
    """"how long does it take?" after the colposcopy is the colposcopy's length, though alone, and sure of
    itself, it asks how long the screening test takes."""
    practice = Bot.load(PROJECT / "examples" / "cervical-screening")
    assert practice.reply("how long does it take?").match["id"] == "how_long"
    replies = ask_in_turn(practice, "what is a colposcopy", "how long does it take?")
    assert replies[1].type == "answer" and replies[1].match["id"] == "colposcopy_time"


def test_how_long_does_that_last_asks_about_the_previous_topic():
    # Alone, "how long does that last" fits the procedure's length surely; after the anaesthetic, it is the numbness.
    podiatry = Bot.load(PROJECT / "examples" / "ingrown-toenail")
    replies = ask_in_turn(podiatry, "do I need an anaesthetic", "how long does that last")
    assert replies[1].type == "answer" and replies[1].match["id"] == "numbness"


def test_clear_new_question_is_not_bent_towards_the_old_topic(shipped_bot):
    replies = ask_in_turn(shipped_bot, "what are the side effects", "can men have laser skin tightening too")
    assert replies[1].match["id"] == "men"


def test_how_much_after_an_answer_asks_the_price(shipped_bot):
    replies = ask_in_turn(shipped_bot, "what is laser skin tightening", "how much?")
    assert replies[1].type == "handoff" and replies[1].match["id"] == "price"


def test_a_bare_why_is_never_answered_from_an_unrelated_entry(shipped_bot):
    replies = ask_in_turn(shipped_bot, "is it better than a facelift", "why?")
    previous = shipped_bot.knowledge.entry("vs_surgery")
    assert replies[1].match is None or replies[1].match["id"] in previous.follow_ups


@pytest.mark.parametrize(("message", "expected"), [
    ("I'm worried that the laser might leave me with dark marks or patches on my skin, does that ever happen?",
     "pigmentation"),
    ("I've had two kids and my tummy has never gone back, the skin is just loose and wrinkly now, "
     "can laser tightening do anything for that?", "abdomen"),
])
def test_long_messages_are_answered_from_their_question(shipped_bot, message, expected):
    reply = shipped_bot.reply(message)
    assert reply.type == "answer" and reply.match["id"] == expected


def test_the_part_that_asks_is_the_question_unless_a_statement_is_clearly_surer():
    sleep = Bot.load(PROJECT / "examples" / "cpap-sleep-apnoea")
    reply = sleep.reply("My husband has been using his machine for about a week now and he still says he feels "
                        "exhausted. He was so hopeful it would sort everything out straight away. Now he's muttering "
                        "that it's pointless. How long does it normally take before people feel the benefit?")
    assert reply.type == "answer" and reply.match["id"] == "benefits"


@pytest.mark.parametrize(("folder", "message"), [
    ("knowledge", "I've been having trouble with my landlord about the damp in my flat, and the mould keeps "
                  "coming back on the bedroom wall. How long does it usually take to go away?"),
    # An outside review's probe: the story is the person's own medical history, however the question ends.
    ("examples/dental-implants", "The oncology team finished my head and neck radiotherapy in January and my "
                                 "family took me to the seaside to celebrate, who can have dental implants?"),
])
def test_a_story_mostly_about_other_things_is_not_answered(folder, message):
    assert Bot.load(PROJECT / folder).reply(message).type in ("fallback", "handoff")


@pytest.mark.parametrize("message", [
    "I'm thinking about getting a tummy tuck after my second baby, what is the recovery like for that?",
    "My son has been asking to go to laser tag for his birthday, is it safe for a 7 year old?",
    "Our office printer keeps jamming and it's a laser printer, how do I fix the paper feed?",
])
def test_long_messages_about_something_else_are_not_answered(shipped_bot, message):
    assert shipped_bot.reply(message).type in ("fallback", "handoff")


@pytest.mark.parametrize(("message", "kind", "entry"), [
    ("can a 16 year old have it", "handoff", "age_limit"),
    ("im 70 is that too old", "answer", "age"),
    ("wats the prise", "handoff", "price"),
    ("is lazer skin tightning safe", "answer", "safe"),
    ("Will the treatment diminish my wrinkles?", "answer", "smoother"),
    ("Are any incisions required?", "answer", "no_cuts"),
])
def test_ages_typos_and_formal_words_are_understood(shipped_bot, message, kind, entry):
    reply = shipped_bot.reply(message)
    assert reply.type == kind and reply.match["id"] == entry


def test_a_real_word_is_not_corrected_into_ours(shipped_bot):
    # "sweating" is one letter pair away from "swelling", but it is a word of its own.
    assert shipped_bot.reply("does it help with sweating").type == "fallback"


def test_follow_up_without_history_is_not_answered_from_nowhere(shipped_bot):
    assert shipped_bot.reply("do those go away?").match["id"] != "side_effects"


def test_suggestions_never_repeat_the_question_just_answered(shipped_bot):
    for question in ("is it safe", "what is it", "any downtime", "can it help cellulite"):
        reply = shipped_bot.reply(question)
        assert reply.suggestions and reply.match["question"] not in reply.suggestions


def test_every_answer_has_sources_and_suggestions(shipped_bot):
    for entry in shipped_bot.knowledge.entries:
        if entry.type == "answer":
            reply = shipped_bot.reply(entry.question)
            assert reply.match["id"] == entry.id
            assert reply.type == "answer" and reply.sources and reply.suggestions


def test_clarify_offers_options_and_a_number_picks_one(bot):
    bot.dialogue.thresholds = type(bot.dialogue.thresholds)(answer=0.3, sure=1.0, clarify_margin=1.0)
    first = bot.reply("surgery")
    assert first.type == "clarify"
    assert len(first.suggestions) >= 2
    second = bot.reply("2", first.session_id)
    assert second.type == "answer"
    assert second.match["question"] == first.suggestions[1]


@pytest.mark.parametrize("pick", ["the first one", "1", "first"])
def test_suggestion_can_be_picked_by_number_or_words(shipped_bot, pick):
    first = shipped_bot.reply("is it safe")
    second = shipped_bot.reply(pick, first.session_id)
    assert second.match["question"] == first.suggestions[0]


def test_suggestion_can_be_picked_by_its_text(shipped_bot):
    first = shipped_bot.reply("is it safe")
    second = shipped_bot.reply(first.suggestions[1], first.session_id)
    assert second.match["question"] == first.suggestions[1]


@pytest.mark.parametrize("question", [
    "is laser tag safe for kids?",
    "does laser hair removal work on legs?",
    "how do I tighten a drum skin?",
    "should I put collagen powder in my coffee?",
    "recovery time after a hip replacement",
    "what is the best laser printer",
    "how do i tighten the chain on my bike",
])
def test_lexical_traps_are_not_answered(shipped_bot, question):
    assert shipped_bot.reply(question).type in ("fallback", "handoff")


@pytest.mark.parametrize(("question", "wrong"), [
    ("will I feel any discomfort?", "side_effects"),
    ("is the effect permanent?", "results_timeline"),
    ("what do you charge for it?", "what"),
    ("how many sessions will I need", "results_timeline"),
])
def test_unanswerable_in_domain_questions_are_handed_off(shipped_bot, question, wrong):
    reply = shipped_bot.reply(question)
    assert reply.type == "handoff"
    assert reply.match is None or reply.match["id"] != wrong
    assert shipped_bot.knowledge.clinic.phone in reply.answer


def test_fallback_says_so_and_points_to_the_clinic(shipped_bot):
    reply = shipped_bot.reply("what's the capital of france")
    assert reply.type == "fallback"
    assert reply.match is None and reply.sources == []
    assert shipped_bot.knowledge.clinic.phone in reply.answer
    assert 2 <= len(reply.suggestions) <= 3


@pytest.mark.parametrize("message", [
    "my skin has been oozing since Tuesday's session",
    "I think my skin got burned during the treatment, it really hurts",
    "I'm pregnant, can I still have it?",
    "I take warfarin every day",
    "I have lupus",
    "my face is swolen after the treatmnt",
    "will my redness go away? its been a week",
    "can i have it while trying for a baby",
])
def test_personal_health_messages_are_handed_off(shipped_bot, message):
    reply = shipped_bot.reply(message)
    assert reply.type == "handoff"
    assert "doctor" in reply.answer or "clinic" in reply.answer.lower()


@pytest.mark.parametrize("message", [
    "I'm off on holiday in two weeks, will my face still be red and swollen by then?",
    "My skin is quite dark and I'm worried that lasers might leave me with light or dark patches, is that a risk?",
])
def test_questions_about_later_are_not_taken_for_symptoms(shipped_bot, message):
    assert shipped_bot.reply(message).type != "handoff"


def test_severe_symptoms_mention_urgent_care(shipped_bot):
    reply = shipped_bot.reply("my face is bleeding and I have a fever after the laser")
    assert "urgent" in reply.answer.lower()
    # The widget recognises urgent advice by this opening (the reply has no other sign of it).
    assert reply.type == "handoff" and reply.answer.startswith(URGENT_OPENING)


@pytest.mark.parametrize("message", [
    "since lunch my tongue has started to feel thick. Is it true that reactions can happen later?",
    "my voice has gone croaky since the test and my throat feels tight",
])
def test_an_airway_closing_in_everyday_words_is_urgent(message):
    reply = Bot.load(PROJECT / "examples" / "allergy-skin-prick-testing").reply(message)
    assert reply.type == "handoff" and reply.answer.startswith(URGENT_OPENING)


def test_urgent_advice_gives_the_emergency_number_where_the_clinic_sets_one():
    # the allergy clinic's clinic.yaml gives 999; the shipped one gives none
    allergy = Bot.load(PROJECT / "examples" / "allergy-skin-prick-testing")
    reply = allergy.reply("my lips are swelling after the test and I feel faint", channel="sms")
    assert reply.type == "handoff" and "call 999" in reply.answer and "call 999" in reply.sms
    shipped = Bot.load(PROJECT / "knowledge").reply("my face is bleeding and I have a fever after the laser")
    assert "call emergency services" in shipped.answer and "999" not in shipped.sms


@pytest.mark.parametrize("message", ["the room has been spinning since my session and I can't stand up",
                                     "my head keeps spinning since yesterday"])
def test_dizziness_in_everyday_words_is_handed_off(shipped_bot, message):
    reply = shipped_bot.reply(message)
    assert reply.type == "handoff"
    assert reply.answer.startswith(URGENT_OPENING) == ("stand" in message)


@pytest.mark.parametrize("message", ["I'm worried about the pain in my knee", "I'm scared, my face is bleeding",
                                     "im nervous, my skin has been sore since yesterday"])
def test_anxiety_with_ones_own_body_is_still_a_symptom(shipped_bot, message):
    assert shipped_bot.reply(message).type == "handoff"


@pytest.mark.parametrize("message", [
    "I had the laser two days ago and my face is blistering",
    "Quick question. I had my session on Friday. My skin has been peeling since Monday. Is that normal?",
    "will my redness go away? its been a week",
    "would I have to stop my warfarin first",
    "I wonder why my face is so swollen since yesterday",
])
def test_a_symptom_told_with_its_now_is_still_handed_off(shipped_bot, message):
    assert shipped_bot.reply(message).type == "handoff"


@pytest.mark.parametrize("message", ["how much does it cost?", "I take warfarin, can I have it?",
                                     "my skin is a bit itchy since yesterday"])
def test_other_hand_offs_do_not_open_as_urgent_advice(shipped_bot, message):
    reply = shipped_bot.reply(message)
    assert reply.type == "handoff" and not reply.answer.startswith(URGENT_OPENING)


@pytest.mark.parametrize(("question", "expected"), [
    ("can it cause blisters?", "rare_effects"),
    ("will my skin be red after?", "side_effects"),
    ("can it change my skin colour", "pigmentation"),
    ("I bruise really easily and I'm worried about turning up to a wedding covered in bruises, "
     "is bruising common after this?", "rare_effects"),
])
def test_general_questions_about_effects_are_still_answered(shipped_bot, question, expected):
    reply = shipped_bot.reply(question)
    assert reply.type == "answer" and reply.match["id"] == expected


@pytest.mark.parametrize(("message", "kind"), [
    ("hi", "smalltalk"), ("thanks!", "smalltalk"), ("bye", "smalltalk"), ("are you a bot?", "smalltalk"),
    ("can I talk to a real person", "handoff"), ("what's your phone number", "handoff"),
    ("ok great", "smalltalk"), ("thanks, that's really helpful", "smalltalk"), ("hey there how are you", "smalltalk"),
    ("how can i contact you", "handoff"), ("get me a human", "handoff"), ("put me through to someone", "handoff"),
    ("thank you very much", "smalltalk"), ("how are you today", "smalltalk"), ("i'd like a call back", "handoff"),
    ("could you ring me tomorrow", "handoff"), ("how do I get hold of the clinic", "handoff"),
    ("is there an email address", "handoff"), ("can i message someone about my booking", "handoff"),
    ("I'd rather speak with the nurse", "handoff"), ("can someone give me a callback", "handoff"),
    ("is there a real person I can talk to", "handoff"), ("is there someone we could speak with", "handoff"),
    ("hw r u", "smalltalk"), ("how are you doing", "smalltalk"),
])
def test_small_talk_and_contact(shipped_bot, message, kind):
    assert shipped_bot.reply(message).type == kind


# An outside review's probes: a request that tells of an urgent sign gets the urgent advice first.
@pytest.mark.parametrize(("folder", "message"), [
    ("cataract-surgery", "I have sudden loss of vision in my operated eye, can you fit me in?"),
    ("cataract-surgery", "My eye is really painful and red since the operation, I want to speak to my surgeon"),
    ("ingrown-toenail", "Bleeding has soaked through my bandage, I need to make an appointment"),
])
def test_a_request_for_the_clinic_with_an_urgent_sign_gets_the_urgent_advice(folder, message):
    reply = Bot.load(PROJECT / "examples" / folder).reply(message)
    assert reply.type == "handoff" and "urgent" in reply.answer


@pytest.mark.parametrize("message", [
    "could you book me in for friday morning", "I'd like to arrange an assessment please", "can I change my appt",
    "i want to book", "I need to cancel my appointment tomorrow", "have you got any slots next week",
    "I'd like an appointment with the surgeon", "I want to talk to my surgeon", "can I discuss my results with the "
    "eye surgeon", "thanks so much for all your help, very helpful",
    "can I cancel my review", "can I move my follow-up appointment to next week", "I'd like to book a check-up",
])
def test_booking_and_asking_for_ones_own_clinician_are_for_the_clinic(message):
    cataract = Bot.load(PROJECT / "examples" / "cataract-surgery")
    reply = cataract.reply(message)
    assert reply.type == ("smalltalk" if message.startswith("thanks") else "handoff")


@pytest.mark.parametrize("message", [
    "Do I need to make an appointment with the optician afterwards?",
    "How much time off would I need to book?",
    "I'd like to know if I need an appointment to get my stitches removed",
    "Do patients need an assessment before the operation?",
    "I need to book time off work, how long will I need?",
])
def test_asking_whether_to_book_something_is_a_question(message):
    cataract = Bot.load(PROJECT / "examples" / "cataract-surgery")
    assert cataract.reply(message).type != "handoff"


@pytest.mark.parametrize(("message", "asks_when"), [
    ("when should i call the clinic after surgery", True), ("When should I contact you after the operation?", True),
    ("when can someone call me back", False), ("can someone from the clinic call me", False),
])
def test_asking_when_to_call_is_a_question_not_a_request_for_a_person(message, asks_when):
    cataract = Bot.load(PROJECT / "examples" / "cataract-surgery")
    reply = cataract.reply(message)
    assert (reply.type == "answer" and reply.match["id"] == "warning_signs") is asks_when
    assert (reply.type == "handoff") is not asks_when


@pytest.mark.parametrize("message", ["how much are you", "hw much r u", "how much is it"])
def test_how_much_asks_the_price_never_how_i_am(shipped_bot, message):
    reply = shipped_bot.reply(message)
    assert reply.type == "handoff" and reply.match is not None and reply.match["id"] == "price"


@pytest.mark.parametrize("message", [
    "I read a lot about laser skin tightening. My car broke down on the way here. How long will that take to repair?",
    "My friend had laser skin tightening and loved it. Her husband wants a new kitchen. Do they fit worktops?",
])
def test_a_question_after_a_story_that_asks_about_something_else_is_refused(shipped_bot, message):
    assert shipped_bot.reply(message).type in ("fallback", "handoff")


def test_a_question_after_a_story_that_names_the_treatment_with_this_is_answered(shipped_bot):
    # "this laser" names what is asked about; the story's yoga and creams are only context.
    reply = shipped_bot.reply("I've tried facial yoga and pricey creams for months and nothing shifts. "
                              "Can this laser actually tighten loose skin on the jaw?")
    assert reply.type == "answer" and reply.match["id"] == "sagging"


# "one" counting what follows it and "that" joining a clause point back at nothing in the story.
@pytest.mark.parametrize(("message", "entry"), [
    ("I work nights and my manager hates last-minute time off, and my sister thinks I'm mad. "
     "How long does it take to fit just one implant?", "procedure_length"),
    ("My uncle lost a tooth falling off a ladder and keeps putting off the dentist. "
     "Is it true that the implant joins onto the bone?", "osseointegration"),
    ("My nephew plays rugby and his mum worries about his teeth all the time. "
     "Is an implant something that teenagers can have?", "children"),
])
def test_a_question_after_a_story_with_one_or_that_is_answered(message, entry):
    reply = Bot.load(PROJECT / "examples" / "dental-implants").reply(message)
    assert reply.type == "answer" and reply.match["id"] == entry


# An outside review's probes: "this" points back to the story's own thing, or to someone else's.
@pytest.mark.parametrize(("folder", "message"), [
    ("knowledge", "Our printer at work keeps jamming and it is a laser printer. "
                  "Can this laser printer be fixed at home?"),
    ("knowledge", "My son went to laser tag for his birthday and loved it. Can this laser burn your skin?"),
    ("knowledge", "My neighbour swears by facial yoga and pricey creams. Can this treatment tighten her jaw?"),
    ("examples/carpal-tunnel-release", "My wife had her gallbladder out by keyhole surgery last year. "
                                       "How long does this operation take?"),
])
def test_this_after_a_story_about_something_else_is_still_refused(folder, message):
    assert Bot.load(PROJECT / folder).reply(message).type in ("fallback", "handoff")


# An outside review's probes: a person's own symptoms, told with worry, with what they read,
# with what they want, or over several sentences, are always the clinic's to answer.
@pytest.mark.parametrize(("folder", "message"), [
    ("knowledge", "I'm worried, I'm bleeding a lot"),
    ("knowledge", "I'm scared, I have a fever and the area is oozing"),
    ("knowledge", "I'm worried, I have swelling after my session, how long does swelling last?"),
    ("knowledge", "I've got blisters after my laser, I'm curious how long they last"),
    ("knowledge", "I have redness after my session and I don't want it to last. How long does redness last?"),
    ("knowledge", "I have a rash on my neck and I heard it could be from the laser"),
    ("knowledge", "I had treatment 2 days ago. There are blisters. I also have a fever. What do I do?"),
    ("knowledge", "would I have to stop warfarin before it"),
    ("knowledge", "My scar from an operation 3 years ago is itchy and red"),
    ("knowledge", "I've got a peeling nose since the laser"),
    ("examples/dental-implants", "I had my implant done 3 days ago. There is swelling and bleeding. How long does "
                                 "swelling last?"),
    ("examples/hearing-aids", "I have ringing and pain in my ear, I was wondering what to do"),
])
def test_ones_own_symptoms_however_told_are_handed_off(folder, message):
    bot = Bot.load(PROJECT / folder)
    assert bot.reply(message).type == "handoff"


@pytest.mark.parametrize(("folder", "message"), [
    ("examples/hearing-aids", "I've got hearing aids and my husband is thinking about cochlear surgery at the "
                              "hospital. How long do they last?"),
    ("examples/dental-implants", "I want implants but I'm also considering veneers on my front teeth for my "
                                 "wedding. How long do they last?"),
])
def test_they_after_a_story_about_something_else_is_not_the_treatment(folder, message):
    reply = Bot.load(PROJECT / folder).reply(message)
    assert reply.type != "answer" or reply.confidence < 0.8


def test_bot_is_honest_about_being_a_bot(shipped_bot):
    assert "not a person" in shipped_bot.reply("am i talking to a human?").answer


def test_greeting_before_a_question_answers_the_question(shipped_bot):
    reply = shipped_bot.reply("hi, is it safe?")
    assert reply.type == "answer" and reply.match["id"] == "safe"


def test_confidence_falls_with_unknown_words(shipped_bot):
    dialogue: Dialogue = shipped_bot.dialogue
    plain = dialogue.index.query("is it safe")
    trap = dialogue.index.query("is laser tag safe")
    assert dialogue.confidence(trap, dialogue.index.rank(trap)) < dialogue.confidence(plain, dialogue.index.rank(plain))


def test_confidence_is_a_probability(shipped_bot):
    index = shipped_bot.dialogue.index
    query = index.query("is it safe")
    candidates: list[Candidate] = index.rank(query)
    assert 0.0 <= shipped_bot.dialogue.confidence(query, candidates) <= 1.0


def test_a_symptom_and_a_sign_of_the_person_in_different_sentences_are_a_question(shipped_bot):
    """Spelling is corrected sentence by sentence: 'I have freckles.' and someone else's patch stay apart."""
    reply = shipped_bot.reply("I have freckles and I tan easily. A friend got a light patch after a laser. "
                              "Is that a risk with this treatment?")
    assert reply.match is not None or reply.type != "handoff", reply.answer


@pytest.mark.parametrize(("folder", "message", "entry"), [
    ("examples/physio-back-pain", "I've lost a lot of weight without trying and my back hurts at night. "
                                  "Is lower back pain serious?", "see_doctor"),
    ("examples/dental-implants", "My chin has had pins and needles since my implant went in. "
                                 "How long does an implant take to heal?", "nerve_damage"),
])
def test_a_story_that_tells_a_warning_sign_is_not_reduced_to_its_last_question(folder, message, entry):
    """An outside review's probes: read alone, the question would lose the warning sign before it."""
    reply = Bot.load(PROJECT / folder).reply(message)
    assert reply.type == "handoff" or (reply.match and reply.match["id"] == entry), (reply.type, reply.match)
