"""Any clinic, any treatment: a second clinic's folder works with no code of its own.

The example clinic (examples/hearing-aids) is a hearing centre whose folder was
written as its staff would, from its leaflet alone: nothing it produces may
speak of the shipped treatment, and everything that names a subject names its own.
"""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import Bot
from bot.cli import main
from bot.clinic import treatment_from_title
from bot.defaults import SafetyWords, merge_synonyms
from bot.knowledge import load_knowledge
from bot.retrieval import generic_words, subject_words
from bot.text import normalize, stem
from bot.triage import Safety
from bot.web import create_app
from bot.yamlfile import KnowledgeError

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLE = PROJECT / "examples" / "hearing-aids"
SHIPPED_WORDS = ("laser", "skin tightening", "collagen", "tighten")


def _speaks_of_shipped(text: str) -> list[str]:
    return [w for w in SHIPPED_WORDS if w in text.lower()]


@pytest.fixture(scope="module")
def hearing_bot() -> Bot:
    return Bot.load(EXAMPLE)


@pytest.fixture
def hearing_client(tmp_path):
    app = create_app({"FAQBOT_KNOWLEDGE": str(EXAMPLE), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RATE_LIMIT": "off", "TWILIO_AUTH_TOKEN": "", "FAQBOT_SMS_ALLOW_UNSIGNED": True})
    return app.test_client()


def test_the_example_folder_is_only_the_three_needed_files():
    assert sorted(p.name for p in EXAMPLE.iterdir()) == ["clinic.yaml", "faq.yaml", "hearing-aids.txt"]
    result = CliRunner().invoke(main, ["check", "--knowledge", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "8 small-talk intents" in result.output


MESSAGES = [
    "hello", "who are you?", "thanks!", "bye", "how are you", "lol", "can I speak to a person",
    "what is the capital of France", "how much do they cost", "can you fix my car",
    "my ear has been leaking since yesterday", "I'm pregnant, can I have a hearing test?",
    "I'm on warfarin, is that ok?", "how long do batteries last", "?!",
]


@pytest.fixture(scope="module")
def dental_bot() -> Bot:
    return Bot.load(PROJECT / "examples" / "dental-implants")


@pytest.fixture(scope="module")
def podiatry_bot() -> Bot:
    return Bot.load(PROJECT / "examples" / "ingrown-toenail")


@pytest.fixture(scope="module")
def other_bots(hearing_bot, dental_bot, podiatry_bot) -> list[Bot]:
    # (not the cataract clinic: its leaflet has a laser of its own)
    later = ("physio-back-pain", "thread-veins", "ear-wax-microsuction", "carpal-tunnel-release", "colonoscopy",
             "contraceptive-implant", "steroid-joint-injection", "tongue-tie-division", "cpap-sleep-apnoea",
             "travel-vaccinations", "mri-scan", "cervical-screening", "holter-monitor")
    return [hearing_bot, dental_bot, podiatry_bot, *(Bot.load(PROJECT / "examples" / name) for name in later)]


@pytest.mark.parametrize("message", MESSAGES)
def test_no_reply_speaks_of_another_treatment(other_bots, message):
    for bot in other_bots:
        reply = bot.reply(message)
        said = " ".join([reply.answer, reply.sms, *reply.suggestions, *reply.sources])
        assert _speaks_of_shipped(said) == [], bot.knowledge.clinic.treatment


def test_texts_that_name_the_subject_name_this_clinics_treatment(hearing_bot):
    assert "hearing aids" in hearing_bot.reply("hi").answer
    assert "hearing aids" in hearing_bot.reply("who am I talking to?").answer
    fallback = hearing_bot.reply("can you recommend a good pizza place")
    assert fallback.type == "fallback" and "hearing aids" in fallback.answer


def test_a_handoff_for_symptoms_names_the_clinics_clinician(hearing_bot):
    reply = hearing_bot.reply("my ear has been leaking pus since yesterday")
    assert reply.type == "handoff"
    assert "audiologist" in reply.answer and "doctor" not in reply.answer.replace("emergency", "")


def test_pages_widget_and_sms_name_this_clinics_treatment(hearing_client):
    page = hearing_client.get("/").get_data(as_text=True)
    clinic = hearing_client.get("/api/clinic").get_json()
    widget = hearing_client.get("/widget.js").get_data(as_text=True)
    empty_sms = hearing_client.post("/sms/twilio", data={"From": "+15550001", "Body": " ", "MessageSid": "SM1"})
    help_sms = hearing_client.post("/sms/twilio", data={"From": "+15550001", "Body": "HELP", "MessageSid": "SM2"})
    for text in (page, str(clinic), widget, empty_sms.get_data(as_text=True), help_sms.get_data(as_text=True)):
        assert _speaks_of_shipped(text) == []
    assert "<h1>Hearing aids</h1>" in page
    assert clinic["treatment"] == "hearing aids" and "hearing aids" in clinic["welcome"]
    assert "hearing aids" in empty_sms.get_data(as_text=True)
    load = load_knowledge(EXAMPLE)
    assert clinic["starters"] == [e.question for e in load.entries if e.type == "answer"][:3]


@pytest.mark.parametrize(("title", "treatment"), [
    ("What is Laser Skin Tightening?", "laser skin tightening"),
    ("Hearing Aids: What to Expect", "hearing aids"),
    ("About dental implants", "dental implants"),
    ("Physiotherapy for Back Pain - a guide", "physiotherapy for back pain"),
    ("TMJ Treatment", "TMJ treatment"),
    ("Sclerotherapy for Thread Veins on the Legs - Patient Information", "sclerotherapy for thread veins on the legs"),
    ("Patient information: Ear Wax Removal", "ear wax removal"),
    # Who publishes it and what kind of paper it is are not the treatment.
    ("Riverside Endoscopy Unit: Your Colonoscopy - Patient Information", "colonoscopy"),
    ("Northgate NHS Trust | Having your cataract operation", "having your cataract operation"),
    ("Knee Replacement at Northgate Hospital", "knee replacement"),
    ("Care at Home", "care at home"),
    ("Having a Vasectomy", "vasectomy"),
    ("Thank you for choosing our clinic for your treatment today, we hope you enjoy it", "our treatment"),
])
def test_the_treatment_is_read_from_the_leaflets_title(title, treatment):
    assert treatment_from_title(f"\n{title}\n\nBody text.") == treatment


def test_the_title_may_come_under_the_publishers_name():
    leaflet = ("Ashcombe Hospital Cardiac Investigations Unit\n\n24-hour (and up to 7-day) ambulatory ECG monitoring "
               "(Holter monitor): information for patients\n\nYour doctor has asked for this test.\n")
    assert treatment_from_title(leaflet) == "24-hour ambulatory ECG monitoring (holter monitor)"
    assert treatment_from_title("Ashcombe Hospital\n\nYour doctor has asked for this test.\n") == "our treatment"
    # a service, team or partners publish it too; a date, a version or "this leaflet" under the name is no title
    assert treatment_from_title("Ashcombe Physiotherapy Service\nPhysiotherapy for Back Pain\n\nText.") == \
        "physiotherapy for back pain"
    assert treatment_from_title("Department of Dermatology\nCryotherapy\n\nText.") == "cryotherapy"
    for under in ("May 2024", "Version 2", "Please read this leaflet carefully", "Contents"):
        assert treatment_from_title(f"Riverside Clinic\n{under}\nVasectomy\n\nText.") == "our treatment"
    assert treatment_from_title("Hip replacement surgery, what you need to know\n\nWhat is it?\nText.") == \
        "our treatment"


def test_without_treatment_in_clinic_yaml_the_title_names_it(tmp_path):
    folder = tmp_path / "hearing"
    shutil.copytree(EXAMPLE, folder)
    clinic = folder / "clinic.yaml"
    clinic.write_text("\n".join(line for line in clinic.read_text().splitlines()
                                if not line.startswith(("treatment:", "clinician:"))))
    bot = Bot.load(folder)
    assert bot.knowledge.clinic.treatment == "hearing aids"
    assert bot.knowledge.clinic.clinician == "doctor"
    assert "hearing aids" in bot.reply("what's the weather like in Paris").answer


def test_starters_come_from_faq_yaml_and_unknown_ones_are_refused(knowledge_dir):
    bot = Bot.load(knowledge_dir)
    assert [e.id for e in bot.dialogue.starters()] == ["what", "candidates", "side_effects"]
    faq = knowledge_dir / "faq.yaml"
    faq.write_text(faq.read_text().replace("starters: [what, candidates, side_effects]", "starters: [what, nope]"))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_dir)
    assert caught.value.problems == ["faq.yaml:15: starter 'nope' is not an entry id"]


def test_a_starter_listed_twice_is_refused(knowledge_dir):
    faq = knowledge_dir / "faq.yaml"
    faq.write_text(faq.read_text().replace("starters: [what, candidates, side_effects]", "starters: [what, what]"))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_dir)
    assert caught.value.problems == ["faq.yaml:15: starter 'what' is listed twice"]


def test_an_intent_id_used_twice_in_one_file_is_refused(knowledge_dir):
    (knowledge_dir / "smalltalk.yaml").write_text(
        "intents:\n"
        "  - id: hours\n    type: handoff\n    patterns: [are you open]\n    answer: We open {hours}.\n"
        "  - id: hours\n    type: handoff\n    patterns: [when do you close]\n    answer: Call {phone}.\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_dir)
    assert caught.value.problems == ["smalltalk.yaml:6: intent id 'hours' is used twice in smalltalk.yaml"]


@pytest.mark.parametrize("name", ["safety.yaml", "synonyms.yaml", "smalltalk.yaml"])
def test_an_optional_file_that_is_a_folder_is_reported_in_one_line(knowledge_dir, name):
    (knowledge_dir / name).unlink(missing_ok=True)
    (knowledge_dir / name).mkdir()
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_dir)
    assert caught.value.problems == [f"{knowledge_dir / name}: is a folder, not a file"]


def test_a_clinics_small_talk_adds_patterns_and_replaces_answers(knowledge_dir):
    (knowledge_dir / "smalltalk.yaml").write_text(
        "intents:\n"
        "  - id: greeting\n    patterns: [ahoy]\n    answer: Ahoy from {name}, ask about {treatment}.\n"
        "  - id: opening_hours\n    type: handoff\n    patterns: [are you open today]\n    answer: We open {hours}.\n")
    bot = Bot.load(knowledge_dir)
    assert bot.reply("ahoy").answer == "Ahoy from Example Skin Clinic, ask about laser skin tightening."
    assert bot.reply("hello").answer.startswith("Ahoy")  # the built-in patterns still lead to it
    assert bot.reply("are you open today").answer == "We open Mon-Fri 9am-5pm."
    assert bot.reply("thank you").type == "smalltalk"


def test_a_clinics_own_intent_wins_a_built_in_pattern(knowledge_dir):
    (knowledge_dir / "smalltalk.yaml").write_text(
        "intents:\n  - id: menu\n    patterns: [help]\n    answer: Ask me about {treatment} or call {phone}.\n")
    assert Bot.load(knowledge_dir).reply("help").answer == "Ask me about laser skin tightening or call +1 555 0100."


def test_yesterdays_small_talk_file_still_loads(knowledge_dir):
    old = (PROJECT / "tests" / "data" / "old-smalltalk.yaml").read_text()
    (knowledge_dir / "smalltalk.yaml").write_text(old)
    bot = Bot.load(knowledge_dir)
    assert "like how it works, who it suits" in bot.reply("hi").answer


def test_a_typo_in_a_small_talk_placeholder_is_reported(knowledge_dir):
    (knowledge_dir / "smalltalk.yaml").write_text(
        "intents:\n  - id: greeting\n    patterns: [ahoy]\n    answer: Ahoy from {nmae}.\n")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_dir)
    assert caught.value.problems == ["smalltalk.yaml:4: unknown placeholder in answer: 'nmae'"]


def test_the_clinics_synonyms_win_and_terms_never_chain():
    built_in = {"cost": "price", "fee": "price", "telly": "tv"}
    own = {"price": "fee", "charges": "fee"}
    merged = merge_synonyms(built_in, own)
    assert merged == {"cost": "fee", "price": "fee", "charges": "fee", "telly": "tv"}
    assert not set(merged.values()) & set(merged)


def test_the_words_every_entry_is_about_come_from_the_knowledge(shipped_bot, hearing_bot):
    shipped = generic_words(shipped_bot.knowledge, subject_words(shipped_bot.knowledge))
    assert {"laser", "skin", "tighten"} <= shipped
    hearing = generic_words(hearing_bot.knowledge, subject_words(hearing_bot.knowledge))
    assert {stem("hearing"), "aid"} <= hearing and "laser" not in hearing


def test_naming_the_treatment_does_not_make_a_question_harder(hearing_bot):
    plain = hearing_bot.reply("how long do the batteries last")
    named = hearing_bot.reply("how long do the batteries in hearing aids last")
    assert plain.match and named.match and plain.match["id"] == named.match["id"]
    assert named.confidence >= plain.confidence - 0.1


@pytest.mark.parametrize(("message", "flagged"), [
    ("I had tetracycline as a kid and my teeth are grey", False),
    ("my gums have been bleeding since yesterday", True),
    ("I'm on blood thinners, is that a problem?", True),
    ("I have diabetes, can I still have it?", True),
    ("my scalp is itchy and sore since my appointment", True),
    ("can it make my gums sore?", False),
    ("I'm on long term lisinopril, will that matter?", True),
    ("I've been prescribed omeprazole for reflux", True),
    ("i take atorvastatin every night", True),
    ("I was just prescribed amitriptyline for my back", True),
    ("I've been using tretinoin on my face for a year", True),  # the commonest -retinoin of all
    ("I'm on isotretinoin", True),
    ("I've had pins and needles in my hand since Tuesday", True),
    ("can it cause pins and needles?", False),
    ("I've lost quite a lot of weight without trying", True),
    ("I've lost a lot of weight recently without really trying", True),
    ("As someone with diabetes, would I be a suitable candidate?", True),
    ("being on warfarin, is it safe for me?", True),
    ("As someone with no medical background, can you explain it simply?", False),
    ("I'm on holiday in April, can I book after?", False),
    ("what is a statin", False),
    # things with blood or fever in their name are no bleeding or fever; a worry of what may come is no symptom
    ("I nearly passed out at my last blood test, will this be the same?", False),
    ("can I still use my hay fever eye drops in the days before?", False),
    ("I'm a bit anxious about having a reaction during the test", False),
    ("I'm worried about getting an infection, my wound is red and hot", True),
    ("there is blood in my pee since the op", True),
    ("I still have a fever", True),
    # a result of one's own, measured, is the clinic's to read; when a test is, or what results mean, is not
    ("My daughter's peanut test was 9 mm. Will she react if she eats one?", True),
    ("my cat test came back at 6mm, is that bad", True),
    ("my test is at 9 am, can I eat before", False),
    ("what do my results mean", False),
    # after an outside review: a condition told without a symptom word, an airway's and a wound's signs, the water
    ("my blood pressure is really high at the moment, can I still be tested", True),
    ("my blood test results showed low iron, will they still operate", True),
    ("my x-ray showed bone loss, can I still have implants", True),
    ("I've got bad hay fever and sneeze a lot, will that be a problem during the procedure?", True),
    ("I had anaphylaxis last month, can I still have the test", True),
    ("my balls ache a lot 3 months after the snip, is that normal", True),
    ("cloudy fluid leaking from one of my cuts", True),
    ("my urine is really dark after the bowel prep", True),
    ("can people with high blood pressure have the test", False),
    ("is it normal for fluid to leak from the wound", False),
    ("will my cuts leave a scar", False),
    ("when will my results come back", False),
    ("is it normal that my voice sounds funny when ive got it in", False),
    # a nosebleed, a perforation, a medicine of one's own by name, a pressure or sugar measured
    ("I had a nosebleed this morning after using the machine, is that something to worry about?", True),
    ("is a nosebleed a known side effect?", False),
    ("I have a perforated eardrum, is it safe for me to use it?", True),
    ("can it cause a perforated bowel?", False),
    ("if my blood pressure comes down can I stop my amlodipine?", True),
    ("my blood pressure is 170 over 100 today", True),
    ("my blood sugar was 15 this morning", True),
    ("can it lower blood pressure?", False),
    # after an outside review: a risk feared, a word that is no medicine, a pressure that is not the blood's
    ("I'm worried about a perforated bowel", False),
    ("my eardrum is perforated", True),
    ("how long does my lithium battery last?", False),
    ("my leaflet mentions tramadol, what is it?", False),
    ("my CPAP pressure is 10, is that normal?", False),
    ("my tyre pressure was 30, can I drive home after?", False),
    ("my blood pressure was checked 2 weeks ago", False),
    # breathing as a habit is no complaint; short of breath is
    ("I breathe through my mouth at night, does that matter?", False),
    ("I'm a mouth breather, which mask is best?", False),
    ("I'm short of breath since yesterday", True),
    ("I'm breathing through my mouth because my nose is blocked and I feel like I'm suffocating", True),
    ("I woke up gasping for air", True),
    ("is it normal to feel like you are suffocating at first?", False),
    ("does the mask help if I breathe through my mouth", False),
    # after an outside review: blue as a colour, and air in a figure of speech
    ("is the full face blue mask quieter?", False),
    ("my lips are blue from blueberries, can I still have my colonoscopy tomorrow?", False),
    ("I'm gasping for a cup of tea, when can I eat?", False),
    ("I'm choking up just thinking about the op, how long is recovery?", False),
    ("I'm a nose breather, is a nasal pillow mask ok?", False),
    ("my lips are bluish after the sedation", True),
    ("I woke up choking last night", True),
    # an illness named for a fever is no fever, and a vaccine named for an illness no illness of one's own
    ("I had a yellow fever jab in 2009, is my certificate still valid?", False),
    ("I had my first hepatitis A jab eight months ago, what does the second dose give me?", False),
    ("I have hepatitis B, can I have the jabs?", True),
    ("my arthritis shots aren't working, can I have the injection?", True),
    ("I had glandular fever last year", True),
    ("I have a fever after my jabs", True),
    ("I feel a bit achy after my jabs yesterday", True),
    # what comes before a turn, when it says itself that it is now; not a trait told before a worry
    ("I've had a cold all week and my operation is on Friday, will it still go ahead?", True),
    ("I bruise really easily and I'm worried about bruises at a wedding, is bruising common?", False),
    # kidney dialysis, an aneurysm, a metal clip or fragment: one's own, as a kidney condition or metal plates are
    ("I'm on dialysis three times a week, is the dye safe for me?", True),
    ("I had a metal clip put in for a brain aneurysm years ago, can I still have the scan?", True),
    ("I had a metal fragment in my eye once", True),
    ("can people on dialysis have the dye?", False),
    ("what if someone has a metal clip from an operation?", False),
    # after an outside review: a clip on a bag or in one's hair, a splinter feared at work, are no metal in the body
    ("I have a metal clip in my hair", False),
    ("I have a metal clip on my belt, do I need to take it off?", False),
    ("I'm worried about getting a metal splinter at work", False),
    ("I have metal clips from my gallbladder surgery", True),
    ("I've got metal fragments in my leg from an accident years ago", True),
    ("i do haemodialysis at home, I'm on it 3 times a week", True),
    ("I have an aneurism in my stomach area", True),
    # a severe sign in a clause of its own, beside a worry; not one supposed after an "if"
    ("I'm worried the swelling will affect my breathing, my throat feels tight now", True),
    ("im worried it will get worse, i have a fever and the toe is throbbing", True),
    ("I'm worried that if it gets infected, my toe will be hot and full of pus", False),
    ("What happens if I get an infection: my toe gets hot to the touch and pus comes out?", False),
    ("Should I go to A&E, for instance when my chest hurts?", False),
])
def test_general_safety_serves_any_clinic(message, flagged):
    assert (Safety().assess(message) is not None) is flagged


def test_an_urgent_sign_comes_first_whatever_else_is_told():
    safety = Safety(treatment="CPAP for sleep apnoea")
    for message in ("I'm on CPAP and my chest hurts", "I'm on warfarin and my chest is tight",
                    "I'm pregnant and bleeding heavily", "I stopped my amlodipine and now I have chest pain",
                    "my blood pressure was 220/130 and I've got crushing chest pain",
                    "I have a nosebleed that won't stop"):
        assert safety.assess(message).severe, message
    assert safety.assess("I'm on CPAP, can I fly?") is None  # on the treatment, not on a medicine
    assert safety.assess("I take diazepam for anxiety, should I stop it?").topic == "medicine"


def test_a_phrase_the_leaflet_answers_is_no_urgent_sign_itself():
    safety = Safety(SafetyWords(answered=("chest physio",)), treatment="pulmonary rehabilitation")
    assert safety.assess("I have chest physio every week, can I still come?") is None
    assert safety.assess("I have chest physio and now chest pain").severe


def test_a_medicine_the_leaflet_advises_on_may_be_asked_about_as_ones_own():
    safety = Safety(leaflet="You can take paracetamol afterwards if you need to.")
    assert safety.assess("can I take my paracetamol after?") is None
    assert safety.assess("can I take my ramipril after?") is not None


@pytest.mark.parametrize(("message", "topic"), [
    ("my mum is on Eliquis, can she still have it done?", "medicine"),
    ("she's taking Humira for her joints", "medicine"),
    ("I'm 12 weeks pg, is that ok?", "pregnancy"),
    ("I had a hysterectomy in March, how soon can I come in?", "condition"),
    ("I had a spinal fusion six weeks ago, when can I start the exercises?", "condition"),
    ("I've had a hip replacement, is that a problem?", "condition"),
    ("my calf is painful and swollen", "symptoms"),
    ("my shin has been bruised since yesterday", "symptoms"),
    ("I've been swollen since my session", "symptoms"),
    ("I'm having steroid injections for my knee", "medicine"),
    # an outside review's probes: what the person was told or read is often their own situation
    ("I've been told the gum around the implant is infected, what should I do?", "symptoms"),
    ("I'm on the injections for my blood, will my ear bleed?", "medicine"),
    ("I've been told there is a clot in the leg, can I still have sclerotherapy?", "condition"),
    ("I had a caesarean three weeks ago and my back hurts, can I do the exercises?", "condition"),
    ("I had a heart valve replacement, can I have it?", "condition"),
    ("I have been told I have an acoustic neuroma", "condition"),
    ("I have otosclerosis, will a hearing aid help?", "condition"),
    ("The ENT consultant did surgery on my eardrum in the spring, is microsuction painful?", "condition"),
    ("since the aeroplane landed I cannot hear anything on the left side", "symptoms"),
    ("will you do surgery on my toe?", None),
    ("what is the prognosis after it", None),
    # the second review's probes
    ("What should I do if my calf becomes painful and swollen?", None),
    ("The tenderness in my calf is getting worse", "symptoms"),
    ("My soreness is getting much worse three days after", "symptoms"),
    ("My heel has an ulcer", "symptoms"),
    ("I've gone deaf on one side", "symptoms"),
    ("My friend had a facelift, are the results of laser less dramatic?", None),
    ("I had a face-lift six weeks ago, can I have the laser?", "condition"),
    ("I have Crohn's disease, is that a problem?", "condition"),
    ("my 6 year old has glue ear", "condition"),
    ("there's a constant ringing in my left ear", "symptoms"),
    ("I heard people on chemo can't have it, is that true?", None),
    ("I'm on holiday next week, can I book after?", None),
    ("what causes a hearing aid to whistle?", None),
    ("my sister had it done last year and her face was puffy for a while, how long does that last?", None),
    ("my husband keeps saying lasers burn the skin, is that true?", None),
    ("What's the worst I'm likely to get afterwards, more than a bit of redness?", None),
    ("can I check my temperature at home?", None),
    ("my temperature is normal, can I still come in?", None),
    ("can I swallow normally afterwards?", None),
    ("I already have a long-term catheter, does that change anything for my test?", "condition"),
    ("will I need a catheter afterwards?", None),
])
def test_personal_situations_in_other_words(message, topic):
    found = Safety().assess(message)
    assert (found.topic if found else None) == topic


def test_the_treatments_own_name_keeps_nothing_from_being_answered():
    """At a tongue-tie clinic "tongue-tie" is in every question: what the leaflet answers for anyone (`answered:`)
    stays answered beside it; "tongue" alone is still the urgent sign it is ("her tongue is bleeding")."""
    safety = Safety(SafetyWords(answered=("breastfeeding",)), treatment="tongue-tie division")
    message = "My daughter is three weeks old and breastfeeding has been hard. The midwife thinks it is a tongue-tie."
    assert safety.assess(message) is None
    assert Safety(SafetyWords(answered=("breastfeeding",)), treatment="laser skin tightening").assess(message)
    assert safety.assess("I'm breastfeeding and her tongue is bleeding") is not None
    swollen = safety.assess("my baby's tongue is swollen since the snip")
    assert swollen is not None and swollen.severe


@pytest.mark.parametrize("message", [
    "HELP my grandson just swallowed one of my batteries",
    "Last week I couldn't pass urine and my back was agony, what does treatment involve?",
    "I don't think my sudden deafness in one ear since yesterday is serious, is it?",
    "I haven't been able to pass water since this morning",
    "My hearing went suddenly after a cold",
    "I've had breathlessness since my injections yesterday",  # the urgent sign before the medicine
    "My temperature is 38.5 two days after the operation, should I worry?",  # a fever, measured
    "I've had a temperature of 39 since last night",
    "i cant swallow properly since the op",
    "the socket has been bleeding for two hours and wont stop",
    # breathing failing, or someone who cannot be woken, whoever it is
    "her tongue is swollen and she cant breathe properly",
    "the baby has gone floppy and won't wake",
    "should I call 999, my baby has gone floppy?",
    "my husband won't wake up",
    "her lips have gone blue", "my husband is breathing through his mouth and his lips are blue",
    "I keep choking on the mask at night",
    # what a person read, then what is so
    "I've read on a forum that it's normal but I have chest pain",
])
def test_urgent_signs_at_any_clinic(message):
    found = Safety().assess(message)
    assert found is not None and found.severe


@pytest.mark.parametrize(("message", "personal"), [
    # what a person has read or heard of others, in however many words, is no symptom of theirs
    ("I've read horror stories online about infections after surgery. What are the signs?", False),
    ("I've read on a forum that lasers can leave people with darker patches of skin. Is that a risk?", False),
    ("I've heard from my friends that the bruising lasts weeks, is that true?", False),
    # unless they tell of their own as well
    ("I've read on a forum that it settles, but my skin has been red and sore since Monday", True),
    ("I've read the leaflet about aftercare and she has a temperature of 38.5", True),
])
def test_what_was_read_or_heard_is_no_symptom_of_ones_own(message, personal):
    assert (Safety().assess(message) is not None) is personal


@pytest.mark.parametrize("message", [
    "what if she stops breathing during it", "will he be able to breathe during the test",
    "does the baby go floppy afterwards",
    # and the same words of something else
    "I can't wake up early for my 9am slot", "she can't breathe through her nose with a cold",
    "he can't be woken by the doorbell, is there a device?", "my hearing aid won't turn on, it's unresponsive",
])
def test_an_emergency_asked_about_as_a_maybe_is_a_question(message):
    assert Safety().assess(message) is None


@pytest.mark.parametrize(("message", "topic", "severe"), [
    ("My lower back has been aching for weeks, what happens at the first appointment?", None, False),
    ("I've had back pain on and off for years, can physio still help?", None, False),
    ("my back pain is unbearable and getting worse", "symptoms", True),
    ("i cant feel my bum properly and my back hurts", "symptoms", True),
    ("since this morning I can't really feel my bottom and my back aches", "symptoms", True),
    ("I can barely feel my legs since this morning", "symptoms", True),
    ("I've had a temperature for three days and my back aches", "symptoms", True),
    ("is my slipped disc a problem for the exercises?", "condition", False),
    ("my knee has been red and swollen since yesterday", "symptoms", False),
    ("I have numbness around my bottom and can't control my bladder", "symptoms", True),
    ("I wet myself this morning and my back is sore", "symptoms", True),
])
def test_what_a_clinic_treats_is_no_red_flag_in_itself(message, topic, severe):
    """At a clinic for back pain, a sore back is why people come; numbness, fever and other signs still count."""
    found = Safety(treatment="physiotherapy for lower back pain").assess(message)
    assert (found.topic, found.severe) == (topic, severe) if topic else found is None
    if topic is None:  # at a clinic that does not treat pain, the same words are the person's symptoms
        assert Safety(treatment="laser skin tightening").assess(message) is not None


@pytest.mark.parametrize(("message", "topic", "severe"), [
    ("I'm in a nursing home, can someone visit me for a hearing test?", None, False),
    ("I've been prescribed hearing aids by my GP, how long to get used to them?", None, False),
    ("I'm expecting a baby in May, can I still come in?", "pregnancy", False),
    ("my gums bleed a little when I brush", "symptoms", False),
    ("my gums have been bleeding heavily since this morning", "symptoms", True),
    ("I suddenly lost the hearing in my left ear this morning", "symptoms", True),
    ("I woke up and can barely see out of my right eye", "symptoms", True),
    ("Is sudden hearing loss an emergency?", None, False),
    ("my implant is bleeding and it wont stop", "symptoms", True),
    ("I'm expecting, can I still have the treatment?", "pregnancy", False),
    ("I'm nursing, is that ok?", "pregnancy", False),
    ("I'm expecting it to take a while to get used to them", None, False),
    ("I went deaf in my right ear overnight", "symptoms", True),
    ("I woke up unable to hear out of my left ear", "symptoms", True),
    ("I had my treatment 2 weeks ago and this morning I still can't see any difference", None, False),
    ("I woke up and can't see my hearing aid anywhere, is it covered by insurance?", None, False),
    ("My question is about redness, how long does it last?", None, False),
    ("I'm bleeding from the treated area", "symptoms", True),
    ("A colleague's face was red for days. I have a party soon. How long does redness last?", None, False),
    ("i can't really feel any difference after the exercises", None, False),  # an effect, not a feeling lost
])
def test_general_safety_hands_off_the_person_not_the_words(message, topic, severe):
    found = Safety().assess(message)
    assert (found.topic, found.severe) == (topic, severe) if topic else found is None


# Medicines asked about as a kind, the clinic's own treatment and "not going to be" are no situation of one's
# own; a named medicine, a condition's tablets, a complication and "not going away" still are.
@pytest.mark.parametrize(("message", "topic", "severe"), [
    ("It's not going to be more painful than a smear test, is it?", None, False),
    ("Can I keep taking my usual medicines?", None, False),
    ("Do I have to stop all my tablets before the test?", None, False),
    ("My sister had a colonoscopy last year, why does the prep taste so bad?", None, False),
    ("the pain is not going away", "symptoms", False),
    ("the bleeding is not going to stop", "symptoms", False),
    ("can i keep taking my blood pressure tablets", "medicine", False),
    ("should I stop my tablets", "medicine", False),
    ("I take warfarin and my usual tablets", "medicine", False),
    ("I take regular tablets for my heart", "medicine", False),
    ("Should I stop my other medicines, like metformin?", "medicine", False),
    ("I had heart surgery last year, can I have sedation?", "condition", False),
    ("I had a colonoscopy last time and reacted badly to the sedation", "condition", False),
    ("I had a colonoscopy last year and they found polyps, what happens now?", "condition", False),
    ("my sister had a hip replacement, can she have it?", "condition", False),
])
def test_medicines_as_a_kind_and_the_clinics_own_treatment_are_no_situation_of_ones_own(message, topic, severe):
    found = Safety(treatment="colonoscopy").assess(message)
    assert (found.topic, found.severe) == (topic, severe) if topic else found is None


def test_a_clinic_names_its_own_emergencies(knowledge_dir, tmp_path):
    folder = tmp_path / "hearing"
    shutil.copytree(EXAMPLE, folder)
    message = "there has been a loud ringing in my ear since yesterday"
    first = Bot.load(folder).reply(message)  # a symptom of the person's own, handed off, but not as urgent
    assert first.type == "handoff" and "urgent medical care" not in first.answer
    (folder / "safety.yaml").write_text("urgent: [ringing in my ear, ringing in the ear]\n")
    reply = Bot.load(folder).reply(message)
    assert reply.type == "handoff" and "urgent medical care" in reply.answer and "audiologist" in reply.answer


def test_a_clinic_lets_its_leaflet_answer_what_it_is_about(tmp_path):
    """A contraception leaflet says the implant can be used while breastfeeding: with `answered:` the
    clinic lets that be answered to someone who says she is breastfeeding, but never an urgent sign."""
    folder = tmp_path / "implant"
    shutil.copytree(PROJECT / "examples" / "contraceptive-implant", folder)
    message = "I'm breastfeeding my 3 month old, can I have the implant?"
    assert Bot.load(folder).reply(message).type == "handoff"
    safety = folder / "safety.yaml"
    safety.write_text(safety.read_text() + "\nanswered: [breastfeeding, the pill]\n")
    bot = Bot.load(folder)
    reply = bot.reply(message)
    assert reply.type == "answer" and "breastfeeding" in reply.answer
    switching = bot.reply("I've been on the pill for years, when will the implant protect me if I switch?")
    assert switching.type == "answer" and "pill" in switching.answer
    urgent = bot.reply("I'm breastfeeding and my breast is red, hot and swollen")
    assert urgent.type == "handoff"
    assert bot.reply("I'm pregnant, can I have it?").type == "handoff"  # only what the clinic listed


def test_a_clinics_warning_sign_is_found_with_any_linking_verb():
    safety = Safety(SafetyWords(urgent=("implant is bent", "arm is numb")))
    assert safety.assess("I think my implant has bent, it looks like a V under my skin").severe
    assert safety.assess("my arm feels numb since yesterday").severe
    assert safety.assess("what should I do if the implant is bent?") is None
    yellow = Safety(SafetyWords(urgent=("eyes have gone yellow",)))  # a degree before how it is
    assert yellow.assess("my eyes have gone a bit yellow").severe
    assert yellow.assess("what if my eyes go yellow?") is None
    faint = Safety(SafetyWords(urgent=("feel faint",)))  # a verb first is the clinic's word, not a link
    assert faint.assess("I feel faint since the test").severe
    assert faint.assess("My positive control was faint, does that mean the test didn't work?") is None


def test_the_demo_page_keeps_an_acronym_in_the_treatment(tmp_path):
    folder = tmp_path / "hearing"
    shutil.copytree(EXAMPLE, folder)
    clinic = folder / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("treatment: hearing aids", "treatment: BAHA hearing aids"))
    app = create_app({"FAQBOT_KNOWLEDGE": str(folder), "FAQBOT_DB": str(tmp_path / "db.sqlite3")})
    page = app.test_client().get("/").get_data(as_text=True)
    assert "<h1>BAHA hearing aids</h1>" in page and "<title>BAHA hearing aids | Brightwater" in page


def test_a_treatments_own_contraindications_come_from_its_folder(shipped_bot, hearing_bot):
    assert Safety(SafetyWords(medicines=("tetracycline",))).assess("I had tetracycline as a kid") is not None
    assert shipped_bot.reply("I have rosacea, can I book?").type == "handoff"
    assert hearing_bot.dialogue.safety.assess("I have rosacea") is None


@pytest.mark.parametrize(("message", "topic"), [
    ("how do i keep the swelling down", None),
    ("I keep getting swelling in my hand", "symptoms"),
    # asked as a how-to, but of the person's own body now
    ("How do I look after my wound, it's hot and red", "symptoms"),
    ("How do I reduce the swelling on my face? It's really puffy", "symptoms"),
    ("how can I reduce the swelling in my hand since yesterday", "symptoms"),
])
def test_keeping_something_down_is_no_sign_of_ones_own_symptom(message, topic):
    found = Safety().assess(message)
    assert (found.topic if found else None) == topic


@pytest.mark.parametrize(("message", "urgent"), [
    ("my bandage is too tight", True),
    ("my fingers have gone blue", True),
    ("Help! My fingers have gone white and cold", True),
    ("what if my bandage feels too tight?", False),
    ("what should I do if the bandage is too tight", False),
    # knowing the signs, or the words of a sign in another sense, is no sign of one's own
    ("I want to know the warning signs, like fingers gone blue", False),
    ("I work with bandage too tight machines all day, when can I go back?", False),
    ("my bandage is not too tight, is that ok?", False),
    ("is it normal for fingers to go blue", False),
])
def test_a_clinics_warning_signs_are_urgent_however_they_are_said(message, urgent):
    warning_signs = SafetyWords(urgent=("bandage too tight", "fingers gone blue", "fingers gone white"))
    found = Safety(warning_signs).assess(message)
    assert (found is not None and found.severe) is urgent


@pytest.mark.parametrize(("message", "urgent"), [
    ("how soon will my hearing come back, it went suddenly this morning", True),
    ("my heart is racing and I feel shaky since the injection", False),
    ("I feel shivery and hot since the op", False),
    # one's own heart or pulse told with a verb of its own, in any tense (the cardiac unit's set: "my heart has
    # been racing on and off"; an outside review's probes)
    ("my heart has been racing on and off all week, can I get the test sooner?", False),
    ("my heartbeat was fluttering yesterday, should I still come in", False),
    ("my heart keeps skipping beats, is the monitor safe", False),
    ("my heart raced last night", False),
    ("My heart skips beats", False),
    ("my husband's pulse is racing", False),
    ("my heart rate went up to 180 this morning", False),
    ("I felt my heart pounding in bed", False),
    # a second review's: a heart that hurts is chest pain; relatives, text-speak, a slow pulse
    ("my heart hurts", True),
    ("my heart really hurts when I breathe in", True),
    ("omg my hearts racing rn", False),
    ("he says his heart is pounding", False),
    ("my heart rate is 45 and I feel odd", False),
])
def test_more_of_ones_own_symptoms_are_handed_off(message, urgent):
    found = Safety().assess(message)
    assert found is not None and found.topic == "symptoms" and found.severe is urgent


@pytest.mark.parametrize("message", ["will my hearing come back after microsuction?",
                                     "will I feel shaky after the anaesthetic?",
                                     "will the monitor record it if the heart skips beats?",
                                     # an occasion, a whether, what a test records, no symptom of one's own
                                     "when my heart is racing do I press the button",
                                     "do I press the button every time my heart skips a beat",
                                     "My GP said the monitor will show whether my heart is racing or not",
                                     "How does the monitor pick up my heart skipping a beat?",
                                     "what if I feel my heart pounding?",
                                     "CPAP: does it record my heart rate and breathing?",
                                     "How do I use my pulse oximeter to check my breathing at night",
                                     # a clause that asks ("as soon as", "that", "how often", "if ... and")
                                     "should I press the button as soon as my heart starts racing?",
                                     "will it show that my heart is irregular?",
                                     "can it record how often my heart skips a beat? and where do the stickers go on "
                                     "my chest?",
                                     "what do I do if I wake up and my heart is racing?",
                                     "my pulse is normally about 70, is that fine?"])
def test_asking_about_them_in_general_is_still_answered(message):
    assert Safety().assess(message) is None


# "I am" and "I'm", "I have" and "I've" are read alike, written out, contracted or in text-speak ("im not sure
# if im overreacting" was general where "I'm not sure if I'm" was not); "can I have" asks leave, and "not sure
# if" asks whether, of something real.
@pytest.mark.parametrize(("message", "personal"), [
    ("Im not sure if im overreacting but theres a burn mark on my forehead", True),
    ("I'm not sure if I'm overreacting but there's a burn mark on my forehead", True),
    ("I am wondering if I should come in, the pain is awful", True),
    ("ive come out in a rash from the drops", True),
    ("im struggling to breathe", True),
    ("My partner's period is late and I only had my vasectomy two months ago, could she be pregnant?", True),
    ("What pain relief can I have afterwards?", False),
    ("if my face swells, what do I do?", False),
])
def test_written_out_and_contracted_are_read_alike(message, personal):
    assert (Safety().assess(message) is not None) is personal


# More of the body's complaints in everyday words, and a relative's body, are the person's own when told as
# theirs; asked about in general, they are not.
@pytest.mark.parametrize(("message", "personal"), [
    ("I am suffering with headaches since the treatment", True),
    ("I have difficulty swallowing", True),
    ("I am wondering what to do, my throat is closing up", True),
    ("My dad's eye is red and painful after his cataract operation", True),
    ("My son's toe is red and oozing", True),
    ("I have read the instructions but I am passing black stools", True),
    ("I am struggling to hear in one ear since this morning", True),
    ("My knee keeps giving way since the op, do I need another operation?", True),
    ("my leg buckled when I stood up, is that normal", True),
    ("my back locked up this morning", True),
    ("can it cause headaches?", False),
    ("Is it normal for the knee to give way after surgery?", False),
    ("I've got flu, can I still come in on Monday?", True),
    ("I have had a bad cold all week and my operation is on Friday", True),
    ("can I have the operation if I have a cold?", False),
    ("should I use a cold pack on my knee", False),
    ("do I need a flu jab first", False),
    ("Is covid still a problem in hospitals?", False),  # an illness named, not told as one's own
    ("my son has had a tummy bug since Sunday", True),
    ("does it cause diarrhoea", False),
    ("is there much discharge afterwards", False),
    ("what should I do if there is pus?", False),
    ("now my nipples are cracked again and she is clicking", True),
    ("I have a cracked tooth, can I still have an implant?", True),
    ("What cream is best for cracked nipples?", False),
])
def test_more_of_the_body_is_ones_own(message, personal):
    assert (Safety().assess(message) is not None) is personal


LEAFLET = "Take simple painkillers such as paracetamol. Tell us if you take blood thinners such as warfarin."


@pytest.mark.parametrize(("message", "topic"), [
    # asking whether a medicine the leaflet names may be taken: the leaflet answers it
    ("can i take paracetamol after", None),
    ("should I take paracetamol after the operation?", None),
    # the person's own pain, a dose, a general word for medicines, another medicine of their own
    # (really bad pain of one's own, in a clause of its own, is an urgent sign and comes first)
    ("Can I take paracetamol, the pain in my palm is really bad", "symptoms"),
    ("Can I take more paracetamol than it says", "medicine"),
    ("Can I use medicines on the bruises after?", "medicine"),
    ("Can I take paracetamol while taking medicines for epilepsy", "medicine"),
    # a medicine the leaflet does not name, or the person's own medicine, is still the clinic's to advise on
    ("can I take ibuprofen after", "medicine"),
    ("I'm on warfarin, can I take paracetamol?", "medicine"),
    ("can I take my warfarin as usual", "medicine"),
    ("I'm breastfeeding, can I take paracetamol", "pregnancy"),
    ("Does paracetamol get into my breast milk? I'm feeding my newborn", "pregnancy"),
])
def test_a_medicine_the_leaflet_names_may_be_asked_about(message, topic):
    found = Safety(leaflet=LEAFLET).assess(message)
    assert (found.topic if found else None) == topic


STOPPING = ("Stop antihistamine tablets 5 days before the test. Keep using steroid nasal sprays and inhalers. "
            "Many sleeping aids contain antihistamines.")


@pytest.mark.parametrize(("message", "topic"), [
    # what the leaflet says of a kind of medicine, asked of one's own: its rule answers it
    ("How long before the test do I stop my antihistamine tablets?", None),
    ("Won't my steroid spray mess up the results?", None),
    # a medicine by name, a kind the leaflet does not speak of, or a person telling what they take
    ("Do I stop my warfarin before the test?", "medicine"),
    ("Should I stop my blood pressure tablets?", "medicine"),
    ("should I stop my sleeping tablets before the test", "medicine"),  # "sleeping aids" is no rule for them
    ("I'm on antihistamine tablets, can I still come?", "medicine"),
])
def test_a_kind_of_medicine_the_leaflet_gives_a_rule_for_may_be_asked_about(message, topic):
    found = Safety(leaflet=STOPPING).assess(message)
    assert (found.topic if found else None) == topic
    assert Safety().assess(message) is not None  # where the leaflet says nothing of it, the clinic advises


@pytest.mark.parametrize(("message", "flagged"), [
    ("Doesn't a positive result mean I'm definitely allergic?", False),
    ("Is this test for allergies to cats?", False),
    ("I'm allergic to cats, can I have the test?", False),
    ("My GP says I need allergy testing. Is this going to involve a needle?", False),
    ("I'm allergic to cats and my lips are swelling now", True),
])
def test_at_a_clinic_for_allergies_an_allergy_is_no_red_flag_in_itself(message, flagged):
    assert (Safety(treatment="skin prick allergy testing").assess(message) is not None) is flagged


@pytest.mark.parametrize(("message", "topic"), [
    # how a person asks or what they have heard: no situation of their own
    ("I'm wondering if the implant is safe for people who've had breast cancer.", None),
    ("I've heard something about breast lumps being a warning sign and I'd like to know more.", None),
    ("Is insertion contraindicated in patients with a history of breast cancer?", None),
    ("I've never had an operation before, do you always have to be asleep?", None),
    ("I'm a bit of a numbers person, what percentage are successful?", None),
    # ... but a person's own still is, however they ask (an outside review's probes)
    ("I'm worried because there's pus", "symptoms"),
    ("I'm wondering why there's so much pus", "symptoms"),
    ("I'm scared it might be infected, its red and hot", "symptoms"),
    ("I'm wondering if my bleeding is normal", "symptoms"),
    ("I am wondering if I should come in, the pain is awful", "symptoms"),
    ("I have a history of breast cancer, can I have it?", "condition"),
    ("I've had an operation on my knee before, can I have it?", "condition"),
    ("I'm worried because I'm on warfarin", "medicine"),
    ("I'm hoping it's not cancer", "condition"),
    ("My usual tablets are carbamazepine, is that a problem?", "medicine"),
    ("I'm pregnant, can I have it?", "pregnancy"),
    ("im preg can i get it", "pregnancy"),
    ("Is it ok while I'm pregnant? I'm 10 weeks", "pregnancy"),
    ("not sure if im pregnant, can i still get the implant?", "pregnancy"),
    ("I think I might be pregnant, what should I do?", "pregnancy"),
    ("could I be pregnant?", "pregnancy"),
])
def test_how_a_person_asks_is_no_situation_of_their_own(message, topic):
    found = Safety().assess(message)
    assert (found.topic if found else None) == topic


@pytest.mark.parametrize(("text", "plain"), [
    ("I sat in the sun", "i sat in the sun"),
    ("what dose of laser do you use", "what dose of laser do you use"),
    ("dose it work for men", "does it work for men"),
    ("how long dose the test take", "how long does the test take"),
    ("what dose the nurse give", "what dose the nurse give"),
    ("the dose the doctor gave me", "the dose the doctor gave me"),
    ("id like to know more", "i would like to know more"),
    ("do I need to bring my ID", "do i need to bring my id"),
    ("whats the min age", "what is the min age"),
    ("when will i c results", "when will i see results"),
    ("can you remove a wen", "can you remove a wen"),
    ("do I need vitamin c or hepatitis b jabs first", "do i need vitamin c or hepatitis b jabs first"),
])
def test_no_rule_turns_a_real_word_into_another(text, plain):
    assert normalize(text) == plain


def test_a_clinics_details_read_as_written_inside_the_bots_own_sentences(tmp_path):
    """Opening hours with brackets of their own, inside the replies' "(hours)", give them up for a comma; a
    booking_url written as a sentence ends the reply's sentence too (no "01632 960 418.." in a reply)."""
    folder = tmp_path / "unit"
    shutil.copytree(PROJECT / "examples" / "holter-monitor", folder)
    (folder / "smalltalk.yaml").unlink()
    clinic = folder / "clinic.yaml"
    text = clinic.read_text(encoding="utf-8")
    text = "\n".join("hours: Monday to Friday, 8.30am to 5pm (closed on bank holidays)" if line.startswith("hours:")
                     else line for line in text.splitlines()) + "\n"
    clinic.write_text(text, encoding="utf-8")
    bot = Bot.load(folder)
    for reply in (bot.reply("asdfgh qwerty"), bot.reply("can you book me in"), bot.reply("my heart is racing")):
        assert "(Monday to Friday, 8.30am to 5pm, closed on bank holidays)" in reply.answer, reply.answer
        assert ".." not in reply.answer and "((" not in reply.answer and "))" not in reply.answer
    assert "please call us on 01632 960 418. You can also call" in bot.reply("can you book me in").answer
