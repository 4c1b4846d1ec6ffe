"""Retrieval as a table: visitor questions and the entry (or reply type) each must get.

expected is an entry id, or fallback (refused: fallback or hand-off), handoff,
smalltalk or safety (handed off and pointed to a clinician).
"""

from pathlib import Path

import pytest

from bot import Bot
from bot.evaluation import judge
from bot.retrieval import written_names

PROJECT = Path(__file__).resolve().parent.parent

TABLE = [
    (
        "I had my first baby last year and my stomach skin is still loose, "
        "is this something that could help with that area?",
        'abdomen',
    ),
    ('wil it wrk on my tummy', 'abdomen'),
    ('can it tighten my tummy', 'abdomen'),
    ('what about the stomach area', 'abdomen'),
    ('does it work on abdominal skin', 'abdomen'),
    ("i'm in my fifties will it work", 'age'),
    ('is it suitable for mature skin', 'age'),
    ('does it help ageing skin', 'age'),
    ('is it good for older skin', 'age'),
    ('im 62 is it too late for me', 'age'),
    ('im 40 is that too young', 'age_limit'),
    ('where can it be used', 'body_areas'),
    ('which parts of the body can you treat', 'body_areas'),
    ('can it be used on the body', 'body_areas'),
    ('is it just for faces?', 'body_areas'),
    ('does it only work on faces', 'body_areas'),
    ('can anyone get laser skin tightening done', 'candidates'),
    ('who is the ideal candidate', 'candidates'),
    ('am I suitable for this', 'candidates'),
    ('what sort of person is it suitable for', 'candidates'),
    ('is it right for me', 'candidates'),
    ('is it good for cellulite', 'cellulite'),
    ('does it get rid of cellulite', 'cellulite'),
    ('can it make my cellulite less noticeable', 'cellulite'),
    ('cellulite?', 'cellulite'),
    ('can it reduce the appearance of cellulite', 'cellulite'),
    ('does it produce new collagen', 'collagen'),
    ('colagen?', 'collagen'),
    ('will it boost my collagen', 'collagen'),
    ('does it make more collagen in my skin', 'collagen'),
    ("what's the role of collagen", 'collagen'),
    ('why do results take months', 'collagen_time'),
    ('why is it gradual', 'collagen_time'),
    ('why does it take so long to see results', 'collagen_time'),
    ('how long does it take for new collagen to grow', 'collagen_time'),
    ('why does it keep improving for a year', 'collagen_time|results_timeline'),  # both give the reason
    ('is there any downtime', 'downtime'),
    ('how long does it take to recover', 'downtime'),
    ('how long is recovery', 'downtime'),
    ('whats the recovery time', 'downtime'),
    ('will i need to stay home after', 'downtime'),
    ('how much tighter will i get', 'dramatic'),
    ('how much difference does it make', 'dramatic'),
    ('is the change subtle', 'dramatic'),
    ('will it make a huge difference', 'dramatic'),
    ('will people notice a difference', 'dramatic'),
    ('what results can i expect', 'effectiveness'),
    ('does it actually work', 'effectiveness'),
    ('is it worth it', 'effectiveness'),
    ('is it any good', 'effectiveness'),
    ('is it worth the money', 'effectiveness'),
    ("what's the safest way to whiten teeth", 'fallback'),
    ('how to tighten a belt', 'fallback'),
    ('how do lasers work in physics', 'fallback'),
    ('what exercises tighten arms', 'fallback'),
    ('recommend a good moisturiser', 'fallback'),
    ('is coolsculpting effective', 'fallback'),
    ('what are the side effects of the covid vaccine', 'fallback'),
    ('how do i make a cake', 'fallback'),
    ("what's the capital of france", 'fallback'),
    ('does it work on eyelids', 'fallback'),
    ('can it help varicose veins', 'fallback'),
    ('what is the best collagen supplement', 'fallback'),
    ('how often would i need to come in', 'handoff'),
    ('what are your opening times', 'handoff'),
    ('how many sessions do i need', 'handoff'),
    ('how long is the treatment', 'handoff'),
    ('can someone call me back', 'handoff'),
    ('i would like to book a consultation', 'handoff'),
    ('can i get it done if i am on blood thinners', 'handoff'),
    ('how long does a session take', 'handoff'),
    ('is it painful', 'handoff'),
    ('is there a minimum age', 'handoff'),
    ('how long will the appointment be', 'handoff'),
    ('does it wear off', 'handoff'),
    ('whats the process', 'how'),
    (
        "I've been reading about non-surgical options and I'm wondering how the laser actually tightens "
        "the skin, is it heat?",
        'how|infrared',  # both answers say the laser heats collagen
    ),
    ('how do lasers tighten skin', 'how'),
    ('explain the science pls', 'how'),
    ('what does the laser do to the skin exactly', 'how'),
    ('do you see results straight away', 'immediate_results'),
    ('is there an immediate improvement', 'immediate_results'),
    ('are results instant', 'immediate_results'),
    ('can i see a difference right after', 'immediate_results'),
    ('will i notice anything right after the first session', 'immediate_results'),
    ('is it infrared', 'infrared'),
    ('what type of laser is used', 'infrared'),
    ('is it infra red light', 'infrared'),
    ('what kind of light does the laser use', 'infrared'),
    ('does it heat up the skin', 'infrared'),
    ('can it tighten my arms', 'limbs'),
    ('will it help my bingo wings', 'limbs'),
    ('loose skin on my upper arms', 'limbs'),
    ('can it tighten my bum', 'limbs'),
    ('does it work on thighs', 'limbs'),
    ('my husband wants it is that ok', 'men'),
    ('can a guy get this', 'men'),
    ('is laser skin tightening only for women?', 'men'),
    ('do you do men', 'men'),
    ('can males have it', 'men'),
    ('is the skin cut', 'no_cuts'),
    ('do they cut the skin', 'no_cuts'),
    ('are there any incisions', 'no_cuts'),
    ('will i have wounds', 'no_cuts'),
    ('does it involve cutting', 'no_cuts'),
    ('does laser skin tightening need an operation', 'nonsurgical'),
    ('is it surgery or not?', 'nonsurgical'),
    ('would I be having surgery', 'nonsurgical|vs_surgery'),  # both say it has no cuts
    ('i dont want surgery is this surgery', 'nonsurgical'),
    ('is this an invasive procedure', 'nonsurgical'),
    ('is there a risk of pigmentation changes', 'pigmentation'),
    ('can it cause dark patches', 'pigmentation'),
    ('can it change skin colour', 'pigmentation'),
    ('will it cause pigmentation', 'pigmentation'),
    ('does it discolour the skin', 'pigmentation'),
    ('will it bruise', 'rare_effects'),
    ('will i get blisters', 'rare_effects'),
    ('could i get bruises or blisters', 'rare_effects'),
    ('is bruising likely', 'rare_effects'),
    ('does it leave bruises', 'rare_effects'),
    ('how long till it works', 'results_timeline'),
    ('when do you see results', 'results_timeline'),
    ('how many months before results show', 'results_timeline'),
    ('how soon do you see results', 'results_timeline'),
    ('how long before i notice a difference', 'results_timeline'),
    ('is it safe?', 'safe'),
    ('should I be worried about it being unsafe', 'safe'),
    ('is it risky', 'safe'),
    ('is the treatment safe for most people', 'safe'),
    ('how safe is laser skin tightening', 'safe'),
    ('my bruises from the treatment are getting worse not better', 'safety'),
    ('i take warfarin will that be an issue', 'safety'),
    ('my lips are swelling up and my throat feels tight', 'safety'),
    ("my skin has been oozing since tuesday's session", 'safety'),
    ("I'm on accutane at the moment", 'safety'),
    ('my eye hurts after the laser treatment on my face', 'safety'),
    ('I have keloid scars', 'safety'),
    ('the treated area is hot and full of pus', 'safety'),
    ('i am taking blood thinners', 'safety'),
    ('my skin is peeling and very painful after the treatment yesterday', 'safety'),
    ('i have lupus can i get this', 'safety'),
    ('I think my skin got burned during the treatment and it really hurts', 'safety'),
    ('my neck is getting saggy can this help', 'sagging'),
    ('loose skin on my face and neck', 'sagging'),
    ('can it lift sagging cheeks', 'sagging'),
    ('I have sagging skin on my face', 'sagging'),
    ('will it fix droopy skin on my face', 'sagging'),
    ('any side affects', 'side_effects'),
    ('will my skin be red afterwards', 'side_effects'),
    ('what side effects can i expect', 'side_effects'),
    ('are there any side effects', 'side_effects'),
    ('will i be red and swollen', 'side_effects'),
    ('does the redness last long', 'side_effects_duration'),
    ('how long does the redness last', 'side_effects_duration'),
    ('how long will i be swollen', 'side_effects_duration'),
    ('does the swelling go away', 'side_effects_duration'),
    ('how long do the side effects last', 'side_effects_duration'),
    ('does it matter what skin type i have', 'skin_types'),
    ('can it be used on all skin tones', 'skin_types'),
    ('does it work for darker skin tones', 'skin_types'),
    ('is it suitable for every complexion', 'skin_types'),
    ('is it ok for brown skin', 'skin_types'),
    ('hey there', 'smalltalk'),
    ('hiya', 'smalltalk'),
    ('how are you', 'smalltalk'),
    ('are you a robot?', 'smalltalk'),
    ('ty', 'smalltalk'),
    ('lol', 'smalltalk'),
    ('will it smooth out my wrinkles', 'smoother'),
    ('good for wrinkly skin?', 'smoother'),
    ('will it firm my skin up', 'smoother'),
    ('can it get rid of fine lines', 'smoother'),
    ('can it help with crinkly skin', 'smoother'),
    ('is surgery more risky', 'surgery_risks'),
    ('does a facelift have more complications', 'surgery_risks'),
    ('is a face lift more dangerous than laser', 'surgery_risks'),
    ('does surgery have a longer recovery', 'surgery_risks'),
    ('what are the downsides of surgery', 'surgery_risks'),
    ('is it better than a facelift', 'vs_surgery'),
    ('is it as good as plastic surgery', 'vs_surgery'),
    ('would a face lift be better for me', 'vs_surgery'),
    ('how does it compare with surgery', 'vs_surgery'),
    ('is it better than a neck lift', 'vs_surgery'),
    ('so what is this laser tightening thing you offer', 'what'),
    ('my friend mentioned laser skin tightening - what is that', 'what'),
    ('hi, what is laser skin tightening please', 'what'),
    ('Could you give me a quick summary of the treatment?', 'what'),
    ('can u explain what laser skin tightning is', 'what'),
]


@pytest.mark.parametrize(("question", "expected"), TABLE)
def test_question_gets_the_expected_reply(shipped_bot, question, expected):
    reply = shipped_bot.reply(question)
    got = reply.match["id"] if reply.match else reply.type
    assert judge(expected, reply, {}), f"{question!r}: expected {expected}, got {reply.type}/{got}"


def test_table_covers_every_answer_entry(shipped_bot):
    answers = {e.id for e in shipped_bot.knowledge.entries if e.type == "answer"}
    assert answers <= {expected for _, expected in TABLE}


# A clinic's formal wordings are frames ("How long does post-procedural erythema typically
# persist?"): the same frame about another procedure is another question, refused, while
# the frame about this treatment is answered (two outside reviews' probes).
@pytest.mark.parametrize(("folder", "other", "ours", "entry"), [
    ("knowledge", "How long does post-procedural erythema typically persist after IPL?",
     "How long does post-procedural erythema typically persist?", "side_effects_duration"),
    ("knowledge", "What magnitude of change can reasonably be anticipated from a chemical peel?",
     "What magnitude of change can reasonably be anticipated?", "dramatic"),
    ("knowledge", "Which anatomical regions are amenable to CoolSculpting?",
     "Which anatomical regions are amenable to this treatment?", "body_areas"),
    ("examples/ingrown-toenail", "What is the rationale for applying phenol to a wart?",
     "What is the rationale for applying phenol to the nail?", "phenol"),
    ("examples/ingrown-toenail", "What period of absence from employment is required after a hysterectomy?",
     "What period of absence from employment is required after the procedure?", "work"),
    ("examples/ingrown-toenail", "What degree of postoperative discomfort should be anticipated after a tonsillectomy?",
     "What degree of postoperative discomfort should be anticipated after nail surgery?", "pain_after"),
    ("examples/ingrown-toenail", "Do smokers heal more slowly than non-smokers after a broken bone?",
     "Do smokers heal more slowly than non-smokers after this procedure?", "slow_healing"),
])
def test_a_frame_about_another_procedure_is_another_question(folder, other, ours, entry):
    bot = Bot.load(PROJECT / folder)
    assert bot.reply(other).type in ("fallback", "handoff")
    reply = bot.reply(ours)
    assert reply.type == "answer" and reply.match["id"] == entry


@pytest.mark.parametrize(("folder", "message"), [
    ("knowledge", "Is HIFU suitable across the full range of Fitzpatrick skin phototypes?"),
    ("knowledge", "Is CoolSculpting efficacious in diminishing the appearance of cellulite?"),
    # the whole noun phrase a preposition brings in, not only its first word ("toe" is a word of ours)
    ("examples/ingrown-toenail", "How long does healing take after a toe amputation?"),
])
def test_what_the_question_names_instead_of_our_treatment_is_what_it_is_about(folder, message):
    # Another treatment's or product's name in a frame that fits one of ours: a question about it.
    assert Bot.load(PROJECT / folder).reply(message).type in ("fallback", "handoff")


@pytest.mark.parametrize(("message", "names"), [
    ("Is Profhilo safe?", {"profhilo"}),
    ("I read about Morpheus8. Is it like this?", {"morpheus8"}),
    ("Is It Safe For Pregnent Women?", set()),  # title case: no word is singled out as a name
    ("IS THERMAGE SAFE", set()),  # shouting
    ("Is it safe for pregnent women?", set()),
])
def test_names_are_words_capitalised_inside_a_sentence_that_no_dictionary_knows(message, names):
    assert written_names(message) == names


def test_a_written_name_is_never_corrected_into_one_of_our_words(shipped_bot):
    # "Profhilo" is two letters from "profile", a word of the shipped leaflet.
    assert shipped_bot.reply("Is Profhilo safe?").type in ("fallback", "handoff")


@pytest.mark.parametrize(("folder", "message", "entry"), [
    ("examples/ingrown-toenail", "What does the procedure entail?", "procedure"),
    ("examples/physio-back-pain", "What does physiotherapy entail?", "treatment"),
])
def test_entail_asks_what_it_involves(folder, message, entry):
    reply = Bot.load(PROJECT / folder).reply(message)
    assert reply.type == "answer" and reply.match["id"] == entry


@pytest.mark.parametrize(("folder", "message", "entry"), [
    ("examples/cataract-surgery", "what is a cat or act", "what_is"),
    ("examples/ear-wax-microsuction", "how long does micro suction take", "duration"),
    # an abbreviation said letter by letter (two letters only where the knowledge has the word they spell)
    ("examples/holter-monitor", "can i have an m r i with it on", "mri_xray"),
    ("examples/cpap-sleep-apnoea", "what is o s a", "what_is_osa"),
    ("examples/mri-scan", "do i need a g p referral", "referral"),
])
def test_a_word_speech_recognition_split_is_read_whole(folder, message, entry):
    reply = Bot.load(PROJECT / folder).reply(message)
    assert reply.type in ("answer", "handoff") and reply.match["id"] == entry


@pytest.mark.parametrize("message", ["i am on h r t", "i have c o p d can i use cpap"])
def test_letters_the_clinic_never_abbreviates_stay_letters(message):
    """Another clinic's abbreviation said letter by letter ("h r t") is read as letters: never spelt into a word
    the knowledge has ("hrt" was corrected to "heart") and answered; nor is text-speak ("c u r open late")."""
    bot = Bot.load(PROJECT / "examples/cpap-sleep-apnoea")
    assert bot.reply(message).type != "answer"
    assert bot.dialogue.plain("c u r open late") == "see you are open late"


@pytest.mark.parametrize(("plain", "read"), [
    ("can i take pain killers i got from the chemist", "can i take painkillers i got from the chemist"),
    ("pain killers a day", "painkillers a day"),
])
def test_a_split_word_joined_keeps_the_short_word_after_it(plain, read):
    index = Bot.load(PROJECT / "examples/knee-arthroscopy").dialogue.index
    assert index.corrected(plain) == read


@pytest.mark.parametrize("plain", ["i have a cat and a dog", "is a bout of flu a problem", "can i wear a hat"])
def test_words_are_joined_only_into_one_the_knowledge_uses(plain):
    index = Bot.load(PROJECT / "examples/cataract-surgery").dialogue.index
    assert index.corrected(plain) == plain


@pytest.fixture(scope="module")
def implant_draft(tmp_path_factory):
    from bot.scaffold import init_folder
    folder = tmp_path_factory.mktemp("implant") / "draft"
    leaflet = PROJECT / "tests/data/drafted/contraceptive-implant/contraceptive-implant.txt"
    init_folder(folder, leaflet, "A Clinic", None)
    clinic = folder / "clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    return Bot.load(folder)


def test_the_grammar_of_the_treatments_name_is_no_subject(implant_draft):
    """The treatment "the contraceptive implant": its "the" is filler, as in any question."""
    assert implant_draft.dialogue.index.keep == {"contraceptiv", "implant"}


def test_a_sentence_speaks_in_the_context_of_its_section(implant_draft):
    """"You may have a small scar" sits under "How is the implant removed?": a scar after removal is its."""
    reply = implant_draft.reply("Will I have a scar after the implant is removed?")
    assert reply.type == "answer" and "scar" in reply.answer



@pytest.mark.parametrize(("folder", "message", "entry"), [
    # "reduced to a smaller dressing after 2 to 3 days": a number answers "how many"
    ("examples/carpal-tunnel-release", "how many days does the big bandage stay on", "bandage_care"),
    # "around 95 percent": a rate answers "what percent"
    ("examples/dental-implants", "how many percent succeed", "success_rate"),
    # "it usually takes 3 to 6 months": a length of time answers "how long"
    ("examples/dental-implants", "how long does osseointegration last", "osseointegration"),
])
def test_an_answer_that_gives_a_number_answers_how_many(folder, message, entry):
    reply = Bot.load(PROJECT / folder).reply(message)
    assert reply.type == "answer" and reply.match["id"] == entry


def test_before_is_never_answered_with_after():
    """"afterwards" carries no topic (most answers are about after), but "beforehand" does: restarting
    antihistamines after the test is no answer to taking them before it."""
    bot = Bot.load(PROJECT / "examples/allergy-skin-prick-testing")
    after = bot.reply("can I take antihistamines afterwards?")
    assert after.type == "answer" and after.match["id"] == "after_test"
    before = bot.reply("can I take antihistamines beforehand?")
    assert (before.match or {}).get("id") != "after_test"


def test_an_ending_spelt_as_it_sounds_is_the_word_meant():
    reply = Bot.load(PROJECT / "examples/cataract-surgery").reply("how long is the operashun")
    assert reply.type == "answer" and reply.match["id"] == "op_length"


@pytest.mark.parametrize(("folder", "message", "entry"), [
    # everyday expressions read as the plain word they mean (bot/data/everyday.yaml)
    ("knowledge", "does it do the trick for saggy jowls", "sagging"),
    # and expressions that carry no topic as filler
    ("examples/colonoscopy", "out of curiosity, how long does the test take", "how_long"),
])
def test_an_everyday_expression_is_read_as_what_it_means(folder, message, entry):
    reply = Bot.load(PROJECT / folder).reply(message)
    assert reply.type == "answer" and reply.match["id"] == entry


@pytest.mark.parametrize(("folder", "message"), [
    # how people tell their own symptoms is never read as a question the leaflet answers
    ("examples/steroid-joint-injection", "the swelling won't die down"),
    ("examples/colonoscopy", "the bloating hasn't died down"),
    ("examples/cataract-surgery", "my eye flared up last night"),
    ("examples/contraceptive-implant", "it's messed with my periods"),
])
def test_an_everyday_expression_of_ones_own_symptom_is_not_answered(folder, message):
    assert Bot.load(PROJECT / folder).reply(message).type in ("fallback", "handoff")
