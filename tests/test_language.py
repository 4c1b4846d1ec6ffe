"""General language, for every clinic: small talk by meaning, asking for a person, misspellings."""

from pathlib import Path

import pytest

from bot import Bot
from bot.scaffold import init_folder
from bot.spelling import english_correction, is_word

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = PROJECT / "examples" / "hearing-aids"


@pytest.fixture(scope="module")
def hearing_bot() -> Bot:
    return Bot.load(EXAMPLE)


@pytest.mark.parametrize(("message", "intent_words"), [
    ("Thank you very much for your help, goodbye", "Goodbye"),
    ("no that's all, thanks, bye", "Goodbye"),
    ("ok thats everything thank you goodbye", "Goodbye"),
    ("thnaks so much", "welcome"),
    ("thank you so much, that was really helpful", "welcome"),
    ("lovely, thanks again, have a good day", "Goodbye"),
    ("you're not a robot, are you?", "automated assistant"),
    ("I was wondering who I'm chatting with, is this an actual person?", "automated assistant"),
    ("May I ask whether I am corresponding with an automated service?", "automated assistant"),
    ("ok that is everything I wanted to ask, enjoy your evening", "Goodbye"),
    ("have a lovely afternoon", "Goodbye"),
    ("brilliant assistant, thank you", "welcome"),
    ("you've been a star", "welcome"),
    ("pleased to meet you", "Hi!"),
    ("how has your morning been?", "doing well"),
])
def test_small_talk_is_recognised_by_meaning(shipped_bot, hearing_bot, message, intent_words):
    for bot in (shipped_bot, hearing_bot):
        reply = bot.reply(message)
        assert reply.type == "smalltalk" and intent_words in reply.answer, (message, reply.answer)


@pytest.mark.parametrize("message", [
    "could a member of staff contact me",
    "I want a proper person, not a chatbot",
    "I don't want to talk to a robot",
    "Could someone phone me?",
    "could a member of staff call me back",
    "I'd appreciate it if someone could give me a ring tomorrow.",
    "which number should I ring?",
    "how do I get hold of the clinic",
    "please send my details to the team",
    "connect me with reception please",
    "how can we contact the clinic?",
    "Is there someone I can ring to talk this through?",
    "Can I talk to the surgeon's secretary?",
])
def test_asking_for_a_person_in_other_words(shipped_bot, hearing_bot, message):
    for bot in (shipped_bot, hearing_bot):
        reply = bot.reply(message)
        assert reply.type == "handoff" and bot.knowledge.clinic.phone in reply.answer, message


def test_asking_for_the_clinics_own_clinicians_is_asking_for_a_person(knowledge_dir):
    """Each clinic's word for its clinicians ("clinician:" in clinic.yaml) names people a visitor may ask for."""
    from bot import Bot

    message = "can I ring one of your audiologists?"
    assert Bot.load(knowledge_dir).reply(message).type != "handoff"
    clinic = knowledge_dir / "clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("clinician: doctor", "clinician: audiologist"),
                      encoding="utf-8")
    assert Bot.load(knowledge_dir).reply(message).type == "handoff"


@pytest.mark.parametrize("message", [
    "will they put me to sleep for it",
    "when should I call a doctor about the redness",
    "what happens at the first appointment with the doctor",
    "Do I need someone I can ring after the treatment?",
])
def test_words_of_a_request_in_a_question_are_no_request(shipped_bot, message):
    reply = shipped_bot.reply(message)
    assert reply.type != "handoff" or reply.match, (message, reply.answer)


@pytest.mark.parametrize("message", [
    "are you a robot that can do my homework",
    "thanks! what's the weather going to be like tomorrow",
    "hello, can you recommend a good dog groomer",
])
def test_small_talk_wrapped_around_another_request_is_not_small_talk(shipped_bot, message):
    assert shipped_bot.reply(message).type == "fallback"


def test_a_question_about_the_machine_is_about_the_treatment(shipped_bot):
    """The device or machine is the treatment itself: no small talk about what the bot is."""
    reply = shipped_bot.reply("is this machine the right one for me")
    assert reply.type == "answer" and reply.match["id"] == "candidates"


@pytest.mark.parametrize("message", ["that helped but now it feels worse", "have you helped anyone like me?",
                                     "that helped, but what happens next?", "do you think this helps"])
def test_a_report_or_a_question_about_helping_is_no_thanks(shipped_bot, message):
    """An outside review's probes: "that helped" around a question or a worse symptom is no thanks."""
    assert shipped_bot.reply(message).type != "smalltalk"


def test_when_to_get_in_touch_is_a_question_not_a_request(shipped_bot):
    assert shipped_bot.reply("what signs mean I should get in touch with you after it").type != "handoff"
    assert shipped_bot.reply("I need to get in touch with someone").type == "handoff"


def test_a_question_asked_inside_small_talk_words_is_no_goodbye(tmp_path):
    """"talk" is a goodbye's word ("talk later"), and every other word here is filler: "what happens" still
    asks something."""
    folder = tmp_path / "veins"
    init_folder(folder, PROJECT / "tests" / "data" / "drafted" / "thread-veins" / "sclerotherapy-thread-veins.txt",
                "A Clinic", None)
    bot = Bot.load(folder)
    assert bot.reply("talk me through what happens on the day pls").type != "smalltalk"
    assert bot.reply("ok talk later, bye").type == "smalltalk"


def test_small_talk_words_around_a_topic_are_a_question(hearing_bot):
    reply = hearing_bot.reply("how do I take care of it, thanks")
    assert reply.type == "answer" and reply.match and reply.match["id"] == "care"


@pytest.mark.parametrize(("message", "entry"), [
    ("how long do the baterys last", "batteries"),
    ("is it saef", "safe"),
    ("can i go bak to wrok the nxet day", "downtime"),
])
def test_misspellings_that_are_no_word_are_corrected(shipped_bot, hearing_bot, message, entry):
    bot = hearing_bot if entry == "batteries" else shipped_bot
    reply = bot.reply(message)
    assert reply.type == "answer" and reply.match and reply.match["id"] == entry, (message, reply.confidence)


def test_of_equally_near_words_the_most_used_wins_and_english_beats_a_worse_match(hearing_bot):
    index = hearing_bot.dialogue.index
    assert index.corrected("waht is a hearing aid") == "what is a hearing aid"
    assert index.corrected("can i get my old aids repiared") == "can i get my old aids repaired"


@pytest.mark.parametrize(("typed", "read"), [
    ("i lost the number", "i lost the number"),
    ("can i take a shower after surgery", "can i take a shower after surgery"),
    ("are there any minor side effects", "are there any minor side effects"),
    ("does surgery have a harder recovery", "does surgery have a hard recovery"),
    ("any dangers", "any danger"),
])
def test_a_real_word_is_read_as_itself_or_its_plain_form(shipped_bot, typed, read):
    assert shipped_bot.dialogue.index.corrected(typed) == read


@pytest.mark.parametrize(("folder", "typed", "read"), [
    # a word the knowledge never uses is read as its own word of the same family
    ("knowledge", "does it diminish the visibility of cellulite", "does it diminish the visible of cellulite"),
    ("examples/hearing-aids", "across what range of severity", "across what range of severe"),
    # but a person is not a thing: the vasectomy clinic speaks of a consultation, the podiatrist of management
    ("examples/vasectomy", "is it done by a consultant", "is it done by a consultant"),
    ("examples/ingrown-toenail", "my manager wants to know", "my manager wants to know"),
])
def test_an_unknown_word_is_read_as_the_knowledge_word_of_its_family(folder, typed, read):
    assert Bot.load(PROJECT / folder).dialogue.index.corrected(typed) == read


def test_another_procedure_of_the_same_kind_is_no_misspelling(tmp_path):
    """A colposcopy is not a colonoscopy: medical words with one ending differ in the part of the body before
    it, and a reply about the other procedure would be a confident wrong answer. A misspelt part still is one."""
    endoscopy = Bot.load(PROJECT / "examples" / "colonoscopy")
    assert endoscopy.dialogue.index.corrected("is a colposcopy the same") == "is a colposcopy the same"
    leaflet = tmp_path / "screening.txt"
    leaflet.write_text("Cervical screening\n\nWhat is a colposcopy?\nA colposcopy is a closer look at your cervix. "
                       "It is done in a hospital clinic and takes about 15 minutes.\n", encoding="utf-8")
    init_folder(tmp_path / "draft", leaflet, "A Practice", None)
    draft = Bot.load(tmp_path / "draft")
    assert draft.dialogue.index.corrected("what is a colonoscopy") == "what is a colonoscopy"
    assert draft.reply("what is a colonoscopy").type != "answer"
    assert draft.dialogue.index.corrected("what is a colposcpy") == "what is a colposcopy"
    assert draft.reply("what is a colposcpy").type == "answer"
    # a misspelling of the clinic's own procedure, in its ending or its part of the body, is still one
    vasectomy = Bot.load(PROJECT / "examples" / "vasectomy").dialogue.index
    assert vasectomy.corrected("is a vasictomy reversible") == "is a vasectomy reversible"
    cataract = Bot.load(PROJECT / "examples" / "cataract-surgery").dialogue.index
    assert cataract.corrected("will i see an opthamologist") == "will i see an ophthalmologist"


def test_a_clipped_word_is_read_whole_in_a_new_clinics_draft(tmp_path):
    # The physiotherapy leaflet never says "physio"; nor does its untouched draft.
    folder = tmp_path / "physio"
    init_folder(folder, PROJECT / "examples/physio-back-pain/physio-back-pain.txt", "A Clinic", None)
    bot = Bot.load(folder)
    assert bot.dialogue.index.corrected("what to wear for physio") == "what to wear for physiotherapy"
    assert bot.dialogue.index.corrected("can i eat befor physio") == "can i eat before physiotherapy"  # a typo first
    reply, plain = bot.reply("what should i wear to physio"), bot.reply("what should i wear to physiotherapy")
    assert reply.type == plain.type == "answer" and reply.match == plain.match


def test_a_misspelling_is_never_corrected_into_a_built_in_word_this_clinic_never_uses(shipped_bot):
    # "brushing" is a plain word of the built-in formal English (for "oral hygiene"), not of this leaflet.
    assert shipped_bot.dialogue.index.corrected("wil i get brusing") == "will i get bruising"


def test_a_real_word_is_never_corrected_loosely():
    assert is_word("cars") and is_word("patchier") and is_word("dose") and not is_word("wrok")
    # (rare dictionary words are words too: "loosing" is never read as "looking", nor a name as another word)
    assert is_word("loosing") and is_word("kemp") and is_word("balking")
    assert english_correction("aftr") == "after"
    assert english_correction("fone") == "fine"  # never "one": a typo keeps its first letter


def test_a_formal_word_is_read_in_any_of_its_forms(shipped_bot):
    """formal.yaml lists "employ"; "employed" is read the same way, as "used"."""
    plain = shipped_bot.reply("what light is used")
    reply = shipped_bot.reply("what light is employed")
    assert plain.type == reply.type == "answer" and reply.match == plain.match


def test_become_is_no_topic(shipped_bot):
    reply = shipped_bot.reply("After laser does the skin become red?")
    assert reply.type == "answer" and reply.match["id"] == shipped_bot.reply("After laser is the skin red?").match["id"]


@pytest.mark.parametrize(("typed", "read"), [
    ("wen shd i go bak to wrk", "wen should i go back to work"),
    ("cld i come nxt week", "could i come next week"),
    ("hmm dr st", "hmm dr st"),  # no vowels, but a word, a title and an abbreviation
])
def test_a_word_written_without_its_vowels_is_read_as_the_word(shipped_bot, typed, read):
    assert shipped_bot.dialogue.index.corrected(typed) == read
