"""`faqbot init`: a leaflet becomes a folder that loads, checks with warnings only, and answers."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.contraindications import contraindications
from bot.engine import Bot
from bot.knowledge import load_knowledge, split_sentences
from bot.leaflet import is_heading
from bot.web import create_app

LEAFLET = """\
# Teeth Whitening: Your Guide

## What is teeth whitening?
Teeth whitening is a cosmetic treatment that lightens the natural colour of your teeth. \
It uses a bleaching gel that breaks up stains on the enamel.

## Who can have it?
Most adults with healthy teeth and gums can have teeth whitening. \
It is not suitable for children under 18. Your dentist checks your teeth and gums first. \
We will not whiten your teeth if you have a cracked tooth or a crown, or if you have ever had \
temporomandibular joint disorder (TMD). Please let us know if you are unsure, or if you have any questions.

## Sensitivity
Some people notice their teeth feel sensitive to cold drinks for a few days. \
This usually settles on its own.

## Afterwards
- Avoid red wine and coffee for two days
- Brush gently with a soft toothbrush {twice a day}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    path = tmp_path / "whitening.md"
    path.write_text(LEAFLET, encoding="utf-8")
    return path


@pytest.fixture
def drafted(tmp_path: Path, leaflet: Path) -> Path:
    folder = tmp_path / "clinic"
    result = run("init", str(folder), "--document", str(leaflet), "--clinic-name", "Bright Smiles")
    assert result.exit_code == 0, result.output
    return folder


def test_init_writes_a_folder_that_checks_with_drafts_as_warnings(drafted):
    assert sorted(p.name for p in drafted.iterdir()) == ["clinic.yaml", "faq.yaml", "safety.yaml", "whitening.txt"]
    result = run("check", "--knowledge", str(drafted))
    assert result.exit_code == 0
    assert result.output.startswith("ok:")
    assert "warning: faq.yaml:" in result.output and "is a draft" in result.output
    assert "warning: clinic.yaml:" in result.output and "example contact values" in result.output


def test_the_clinic_name_the_treatment_from_the_title_and_the_clinician_it_names(drafted):
    clinic = load_knowledge(drafted).clinic
    assert clinic.name == "Bright Smiles"
    assert clinic.treatment == "teeth whitening"
    assert clinic.clinician == "dentist"


def test_markdown_marks_are_gone_from_the_leaflet(drafted):
    text = (drafted / "whitening.txt").read_text(encoding="utf-8")
    assert "#" not in text and text.startswith("Teeth Whitening: Your Guide\n")
    assert "\nAvoid red wine and coffee for two days.\n" in text  # a list item is a sentence, not a heading
    answers = " ".join(e.answer for e in load_knowledge(drafted).entries)
    assert "Brush gently with a soft toothbrush {twice a day}." in answers  # braces shown as written


def test_every_leaflet_sentence_is_a_source_and_every_entry_a_draft(drafted):
    knowledge = load_knowledge(drafted)
    used = {s for e in knowledge.entries for s in e.sources}
    lines = {line.strip() for line in knowledge.document.splitlines()}
    text = [s for s in split_sentences(knowledge.document) if not (s in lines and is_heading(s))]
    assert len(text) == 11
    assert [s for s in text if s not in used] == []
    assert all(e.draft for e in knowledge.entries)
    assert all(len(e.alternates) >= 8 for e in knowledge.entries)


def test_hand_offs_name_the_treatment_and_the_clinic(drafted):
    knowledge = load_knowledge(drafted)
    price = knowledge.entry("price")
    assert price.type == "handoff" and price.question == "How much does teeth whitening cost?"
    assert knowledge.clinic.phone in price.answer


def test_the_clinics_hours_and_whereabouts_are_asked_whatever_words_the_leaflet_uses(tmp_path):
    # "an open scanner", "for 24 hours", "the clinic": a leaflet's words, never its clinic's own opening hours
    leaflet = tmp_path / "scan.txt"
    leaflet.write_text("MRI Scans\n\nThe scanner is open at both ends. Avoid heavy exercise for 24 hours. "
                       "The clinic will send your results to your doctor.\n", encoding="utf-8")
    folder = tmp_path / "scan"
    assert run("init", str(folder), "--document", str(leaflet)).exit_code == 0
    (folder / "clinic.yaml").write_text((folder / "clinic.yaml").read_text(encoding="utf-8")
                                        .replace("example: true\n", ""), encoding="utf-8")
    bot = Bot.load(folder)
    for question in ("What are your opening hours?", "Are you open on Saturdays?", "Where is the clinic?"):
        reply = bot.reply(question)
        assert reply.type == "handoff" and reply.match["id"] == "location", question


def test_no_hand_off_says_the_leaflet_is_silent_on_what_it_covers(drafted, tmp_path):
    # The whitening leaflet says nothing of pain or appointment length; a second one says both.
    assert {"pain", "session_length"} <= {e.id for e in load_knowledge(drafted).entries}
    told = tmp_path / "told.txt"
    told.write_text("Teeth Whitening\n\nMost people find whitening uncomfortable rather than painful. "
                    "The appointment takes about 60 minutes.\n", encoding="utf-8")
    folder = tmp_path / "told"
    assert run("init", str(folder), "--document", str(told)).exit_code == 0
    knowledge = load_knowledge(folder)
    assert not {"pain", "session_length"} & {e.id for e in knowledge.entries}
    assert not [e.id for e in knowledge.entries if "doesn't say" in e.answer and "feel" in e.answer]
    # nor one that speaks of it as soreness and painkillers (a surgical unit's words)
    sore = tmp_path / "sore.txt"
    sore.write_text("Knee Arthroscopy\n\nYour knee will be sore and swollen for a few days. Take painkillers "
                    "regularly for the first few days.\n", encoding="utf-8")
    assert run("init", str(tmp_path / "sore"), "--document", str(sore)).exit_code == 0
    assert not [e for e in load_knowledge(tmp_path / "sore").entries if e.type == "handoff" and "feel" in e.answer]
    # nor one that tells what it feels like; and a test's results that are read keep no "how long they last"
    felt = tmp_path / "felt.txt"
    felt.write_text("Skin Prick Testing\n\nWhat does it feel like?\nMost people describe the prick as a light "
                    "scratch. The results are read 15 minutes later. There is no lower age limit.\n", encoding="utf-8")
    assert run("init", str(tmp_path / "felt"), "--document", str(felt)).exit_code == 0
    assert not {"pain", "longevity", "age_limit"} & {e.id for e in load_knowledge(tmp_path / "felt").entries}
    assert "longevity" in {e.id for e in load_knowledge(drafted).entries}
    assert "age_limit" in {e.id for e in load_knowledge(tmp_path / "told").entries}  # it says nothing of age


def test_a_leaflet_with_sections_on_before_and_after_has_no_hand_off_saying_it_does_not(tmp_path):
    """A staff member's find: "Before your fitting" and "Looking after your arm" are preparation and aftercare,
    and "works for 3 years" says how long it lasts."""
    leaflet = tmp_path / "implant.txt"
    leaflet.write_text("The Contraceptive Implant\n\nHow long does it last?\nOne implant works for 3 years.\n\n"
                       "Before your fitting\nEat normally on the day.\n\n"
                       "Looking after your arm\nKeep the pressure bandage on for 24 hours.\n", encoding="utf-8")
    assert run("init", str(tmp_path / "implant"), "--document", str(leaflet)).exit_code == 0
    drafted = {e.id for e in load_knowledge(tmp_path / "implant").entries}
    assert not {"preparation", "aftercare", "longevity"} & drafted
    assert {"price", "booking"} <= drafted


def test_what_the_leaflet_says_of_itself_is_asked_as_such_and_offered_last(tmp_path):
    leaflet = tmp_path / "implant.txt"
    leaflet.write_text("The Contraceptive Implant\n\nThis leaflet explains how the implant is fitted and removed. "
                       "If you have any questions after reading it, please ask a member of our team.\n\n"
                       "How is it fitted?\nA nurse numbs your arm with a small injection.\n", encoding="utf-8")
    folder = tmp_path / "implant"
    assert run("init", str(folder), "--document", str(leaflet)).exit_code == 0
    knowledge = load_knowledge(folder)
    about = next(e for e in knowledge.entries if e.question == "What does this leaflet cover?")
    assert "what is this leaflet about" in about.alternates
    assert knowledge.entry(knowledge.starters[0]).question == "How is it fitted?"
    clinic = folder / "clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    assert Bot.load(folder).reply("how is it fitted").match["id"] != about.id


def test_a_served_bot_answers_from_the_drafted_entries(drafted, tmp_path):
    app = create_app({"FAQBOT_KNOWLEDGE": str(drafted), "FAQBOT_DB": str(tmp_path / "db.sqlite3"),
                      "FAQBOT_RATE_LIMIT": "off", "TWILIO_AUTH_TOKEN": ""})
    client = app.test_client()
    body = client.post("/api/chat", json={"message": "can children have teeth whitening?"}).get_json()
    assert body["type"] == "answer"
    assert "It is not suitable for children under 18." in body["sources"]
    body = client.post("/api/chat", json={"message": "how much does it cost"}).get_json()
    assert body["type"] == "handoff" and body["match"]["id"] == "price"


def test_who_the_leaflet_says_should_not_have_it_is_handed_to_the_clinic(drafted):
    # ("cracked tooth" is the built-in checks' already: a complaint of a part of the body)
    assert load_knowledge(drafted).safety.conditions == ("crown", "TMD")
    bot = Bot.load(drafted)
    for own in ["I've got a cracked tooth, can I still have whitening?", "i have a crown at the front is that ok"]:
        reply = bot.reply(own)
        assert reply.type == "handoff" and "dentist" in reply.answer, own
    general = bot.reply("can you whiten teeth that have a crown?")
    assert general.type != "handoff"
    # "if you are unsure, or if you have any questions" names no condition
    assert bot.reply("I have a few questions about the bleaching gel").type != "handoff"


def test_a_condition_is_drafted_without_the_words_that_lead_into_it(tmp_path):
    leaflet = tmp_path / "kidney.txt"
    leaflet.write_text("Iron Infusion\n\nWe will not offer it if you are on dialysis, in heart failure or have very "
                       "poor circulation.\n", encoding="utf-8")
    assert run("init", str(tmp_path / "clinic"), "--document", str(leaflet)).exit_code == 0
    # (dialysis is one of the general layer's conditions: no clinic needs to list it)
    assert load_knowledge(tmp_path / "clinic").safety.conditions == ("heart failure", "poor circulation")


def test_a_leaflet_that_names_no_one_who_should_not_have_it_drafts_no_safety_file(drafted, tmp_path):
    plain = tmp_path / "plain.txt"
    # (what one has done, "if you have been drinking", is no condition one has)
    # nor where one is, "at frequent or ongoing risk, such as working with animals"
    plain.write_text("Teeth Whitening\n\nWhitening lightens the colour of your teeth in one visit. Avoid red wine "
                     "for two days, and rinse well if you have been drinking coffee. A touch-up may be advised, but "
                     "do not book one if you are at frequent or ongoing risk, such as working with bleach. "
                     # nor what does not change the advice, a step to take, or a condition unnamed
                     "Even if you have had braces, you should still come every year, as the gel does not reach "
                     "every tooth. If you are invited while you are away, let us know and we will not book you. "
                     "We will not whiten your teeth if you have a condition, so ask us first.\n",
                     encoding="utf-8")
    result = run("init", str(drafted), "--document", str(plain), "--force")
    assert result.exit_code == 0, result.output
    assert not (drafted / "safety.yaml").exists()


def test_conditions_named_with_a_part_of_the_body_are_drafted_and_concessions_are_not():
    assert contraindications("We will not do it if you have a tear in your eardrum. You cannot have the "
                             "injection if you have a skin condition.") == ["tear in your eardrum", "skin condition"]
    assert contraindications("You cannot have it if you have glaucoma, even if you have it under control.") == []


def test_an_existing_folder_is_kept_without_force(drafted, leaflet):
    (drafted / "faq.yaml").write_text("# the clinic's own work\n", encoding="utf-8")
    refused = run("init", str(drafted), "--document", str(leaflet))
    assert refused.exit_code != 0
    assert "already exists" in refused.output and "--force" in refused.output
    assert (drafted / "faq.yaml").read_text(encoding="utf-8") == "# the clinic's own work\n"
    (drafted / "old-leaflet.txt").write_text("Last year's leaflet.\n", encoding="utf-8")
    forced = run("init", str(drafted), "--document", str(leaflet), "--force", "--treatment", "tooth whitening")
    assert forced.exit_code == 0
    assert load_knowledge(drafted).clinic.treatment == "tooth whitening"  # one leaflet again: it loads
    assert not (drafted / "old-leaflet.txt").exists()


@pytest.mark.parametrize(("content", "says"), [
    (b"", "is empty"),
    (b"  \n\n \n", "is empty"),
    (b"%PDF-1.7\x00\x01\x02binary", "binary"),
    ("Caf\u00e9 leaflet text.".encode("latin-1"), "not UTF-8"),
])
def test_a_bad_leaflet_gets_one_clear_line(tmp_path, content, says):
    document = tmp_path / "leaflet.txt"
    document.write_bytes(content)
    result = run("init", str(tmp_path / "new"), "--document", str(document))
    assert result.exit_code != 0
    assert says in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "new").exists()


def test_a_missing_or_unreadable_leaflet_gets_one_clear_line(tmp_path):
    missing = run("init", str(tmp_path / "new"), "--document", str(tmp_path / "nowhere.txt"))
    assert missing.exit_code != 0 and "no such file" in missing.output
    folder = run("init", str(tmp_path / "new"), "--document", str(tmp_path))
    assert folder.exit_code != 0 and "is a folder" in folder.output
    assert len(folder.output.strip().splitlines()) == 1


def test_check_lists_no_warnings_once_reviewed(drafted):
    faq = drafted / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace("    draft: true\n", ""), encoding="utf-8")
    clinic = drafted / "clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    result = run("check", "--knowledge", str(drafted))
    assert result.exit_code == 0 and "warning" not in result.output


def test_draft_must_be_true_or_false(drafted):
    faq = drafted / "faq.yaml"
    text = faq.read_text(encoding="utf-8").replace("    draft: true\n", "    draft: maybe\n", 1)
    faq.write_text(text, encoding="utf-8")
    result = run("check", "--knowledge", str(drafted))
    assert result.exit_code == 1 and "'draft' must be true or false" in result.output


def test_the_starters_are_questions_that_read_well(tmp_path):
    leaflet = tmp_path / "ears.txt"
    leaflet.write_text("Ear Care\n\nSometimes wax builds up instead, especially if you wear hearing aids.\n\n"
                       "What is microsuction?\nMicrosuction removes wax with a small suction tube.\n\n"
                       "Before your appointment\nUse olive oil drops for five days.\n\n"
                       "On the day\nThe clinician looks into both ears first.\n", encoding="utf-8")
    folder = tmp_path / "clinic"
    assert run("init", str(folder), "--document", str(leaflet)).exit_code == 0
    knowledge = load_knowledge(folder)
    starters = [knowledge.entry(i).question for i in knowledge.starters]
    assert starters == ["What is microsuction?", "What should I do before my appointment?", "What happens on the day?"]


EVERYDAY = """Minor Skin Surgery

You must not drive for 24 hours afterwards.

Do not get the wound wet for two days.

Wear loose clothing on the day.

Sedation, given through a small needle in your hand, makes most people sleepy and relaxed.
"""


@pytest.fixture
def everyday(tmp_path: Path) -> Path:
    leaflet = tmp_path / "surgery.txt"
    leaflet.write_text(EVERYDAY, encoding="utf-8")
    folder = tmp_path / "clinic"
    assert run("init", str(folder), "--document", str(leaflet)).exit_code == 0
    return folder


@pytest.mark.parametrize(("question", "sentence"), [
    # Words the leaflet never uses: visitors' own ("behind the wheel", "shower", "asleep").
    ("when is it safe to get behind the wheel?", "You must not drive for 24 hours afterwards."),
    ("can I have a shower afterwards?", "Do not get the wound wet for two days."),
    ("will I be asleep?", "Sedation, given through a small needle in your hand, makes most people sleepy and relaxed."),
    ("what should I wear", "Wear loose clothing on the day."),
])
def test_everyday_questions_in_visitors_words_reach_the_sentence_that_answers_them(everyday, question, sentence):
    reply = Bot.load(everyday).reply(question)
    assert reply.type == "answer" and sentence in reply.sources, reply.answer


def test_a_question_about_something_in_particular_is_drafted_only_where_the_leaflet_names_it(everyday, tmp_path):
    def wordings(folder: Path, source: str) -> list[str]:
        entry = next(e for e in load_knowledge(folder).entries if source in e.sources)
        return [p.lower() for p in entry.phrasings]

    assert "what should i wear" in wordings(everyday, "Wear loose clothing on the day.")
    assert "can i wear nail polish" not in wordings(everyday, "Wear loose clothing on the day.")
    leaflet = tmp_path / "varnish.txt"
    leaflet.write_text(EVERYDAY.replace("Wear loose clothing", "Remove any nail varnish"), encoding="utf-8")
    assert run("init", str(tmp_path / "varnish"), "--document", str(leaflet)).exit_code == 0
    assert "can i wear nail polish" in wordings(tmp_path / "varnish", "Remove any nail varnish on the day.")


def test_drafted_questions_read_as_a_visitor_asks(everyday):
    questions = {e.sources[0]: e.question for e in load_knowledge(everyday).entries if e.type == "answer"}
    assert questions["You must not drive for 24 hours afterwards."] == "Can I drive for 24 hours afterwards?"
    # (made only of a key phrase, "What should I know about sedation given?", it is asked as the topic is)
    assert questions["Sedation, given through a small needle in your hand, makes most people sleepy and relaxed."] \
        == "Will I be asleep?"


CAUTIONS = """Day Surgery

The day before the test, stop eating solid food.

You can eat and drink normally afterwards.

Do not drive until you could make an emergency stop.

Sedation makes you sleepy. For 24 hours after sedation, do not:
drive a car.
drink alcohol.
sign legal documents.

With gas and air you may be able to drive home after 30 minutes.

Call 999 if your tummy becomes swollen and hard, or you have a high temperature.

Some swelling and bruising around the wound is normal for a few days.
"""


def test_everyday_questions_never_reach_a_list_item_alone_a_warning_list_or_one_case_of_two(tmp_path):
    leaflet = tmp_path / "cautions.txt"
    leaflet.write_text(CAUTIONS, encoding="utf-8")
    folder = tmp_path / "clinic"
    assert run("init", str(folder), "--document", str(leaflet)).exit_code == 0
    knowledge = load_knowledge(folder)
    # a list stays with the line that leads into it: "drink alcohol." alone would say the opposite
    assert not any(e.answer.lower().startswith("drink alcohol") for e in knowledge.entries)
    by_source = {s: e for e in knowledge.entries for s in e.sources}
    wordings = {s: {p.lower() for p in e.phrasings} for s, e in by_source.items()}
    # driving is spoken of for sedation and for gas and air: neither is asked "can i drive home afterwards"
    assert not any("can i drive home afterwards" in w for w in wordings.values())
    # "is swelling normal" is no question for the signs to call 999 about, but for the sentence on swelling
    warning = "Call 999 if your tummy becomes swollen and hard, or you have a high temperature."
    assert "is swelling normal" not in wordings[warning]
    assert "is swelling normal" in wordings["Some swelling and bruising around the wound is normal for a few days."]
    # eating afterwards is not asked of the day before; "an emergency stop" is no call for urgent help
    assert "when can i eat again" in wordings["You can eat and drink normally afterwards."]
    assert "when can i eat again" not in wordings["The day before the test, stop eating solid food."]
    reply = Bot.load(folder).reply("can I have a glass of wine tonight?")
    assert reply.type != "answer" or "do not" in reply.answer


def _drafted_by_source(tmp_path, text: str) -> dict:
    """`faqbot init` run on a leaflet of this text: each drafted entry by the leaflet sentences it quotes."""
    leaflet = tmp_path / "leaflet.txt"
    leaflet.write_text(text, encoding="utf-8")
    folder = tmp_path / "clinic"
    assert run("init", str(folder), "--document", str(leaflet)).exit_code == 0
    return {s: e for e in load_knowledge(folder).entries for s in e.sources}


def test_opening_hours_closed_on_bank_holidays_are_no_holiday_abroad(tmp_path):
    by_source = _drafted_by_source(tmp_path, "Heart tests\n\nWearing the monitor\n\nKeep the recorder dry and wear it "
                                   "in bed.\n\nContact us\n\nHeart Unit, Northgate Hospital\nTelephone: 01632 960 000\n"
                                   "Monday to Friday, 9am to 5pm (closed on bank holidays)\n\nPlease call us with any "
                                   "questions.\n")
    # the block of contact lines is the leaflet's text, and its bank holidays ask nothing of flying
    hours = by_source["Monday to Friday, 9am to 5pm (closed on bank holidays)"]
    assert not any("fly" in p.lower() for p in hours.phrasings)
    assert "Telephone: 01632 960 000" in by_source


def test_how_often_reaches_what_the_leaflet_says_is_done_every_so_often(tmp_path):
    by_source = _drafted_by_source(tmp_path, "Using your device\n\nThe nurse will show you the machine while awake and "
                                   "explain the settings.\n\nLooking after it\n\nReplace the disposable filter every "
                                   "month. Wipe the screen with a dry cloth.\n")
    wordings = {p.lower() for p in by_source["Replace the disposable filter every month."].phrasings}
    assert "how often disposable filter" in wordings
    # "awake" here is no anaesthetic: the first sentence is not asked "will I be awake"
    first = by_source["The nurse will show you the machine while awake and explain the settings."]
    assert "will i be awake" not in {p.lower() for p in first.phrasings}


def test_a_list_after_a_blank_line_and_a_block_of_contact_lines_are_text():
    from bot.leaflet import plain_text, sections

    found = sections(plain_text("Day Surgery\n\nWhy is it done?\nYou may need it if you have symptoms such as:\n\n"
                                "- dizziness\n- blackouts\n\nIt is quick.\n\nContact us\n\nDay Surgery Unit, "
                                "Northgate Hospital\nTelephone: 01632 960 000\nMonday to Friday, 9am to 5pm\n\n"
                                "Please call us with any questions.\n"))
    assert [(s.heading, s.paragraphs) for s in found] == [
        ("Why is it done?", (("You may need it if you have symptoms such as:", "dizziness.", "blackouts."),
                             ("It is quick.",))),
        ("Contact us", (("Day Surgery Unit, Northgate Hospital",), ("Telephone: 01632 960 000",),
                        ("Monday to Friday, 9am to 5pm",), ("Please call us with any questions.",))),
    ]


@pytest.mark.parametrize(("leaflet", "expected"), [
    # short lines with no full stop after a lead-in and a blank line are its list, never an instruction each
    ("Day Surgery\n\nAfter sedation\nFor 24 hours, do not:\n\ndrive a car\ndrink alcohol\n\nMost feel fine.\n",
     [("After sedation", (("For 24 hours, do not:", "drive a car", "drink alcohol"), ("Most feel fine.",)))]),
    # a loose Markdown list (a blank line between its items) is one list
    ("Day Surgery\n\n## After sedation\n\nFor 24 hours, do not:\n\n- drive.\n\n- drink alcohol.\n\nMost feel fine.\n",
     [("After sedation", (("For 24 hours, do not:", "drive.", "drink alcohol."), ("Most feel fine.",)))]),
    # a heading and its subheading over text stay headings (the subheading's text under it)
    ("Knee op\n\n## What is it?\nA small operation.\n\n## After the operation\n### Pain relief\n\nTake paracetamol.\n",
     [("What is it?", (("A small operation.",),)), ("Pain relief", (("Take paracetamol.",),))]),
    # a block of contact lines under its heading, with or without a blank line between
    ("Eye clinic\n\nWhat is it?\nA small operation.\n\nContact us\nNorthgate Eye Clinic\nTel 01632 960 000\n\n"
     "Please call with questions.\n",
     [("What is it?", (("A small operation.",),)),
      ("Contact us", (("Northgate Eye Clinic",), ("Tel 01632 960 000",), ("Please call with questions.",)))]),
])
def test_lists_headings_and_contact_blocks_of_plain_and_markdown_leaflets(leaflet, expected):
    from bot.leaflet import plain_text, sections

    assert [(s.heading, s.paragraphs) for s in sections(plain_text(leaflet))] == expected


def test_a_list_is_read_with_the_line_that_leads_into_it():
    from bot.leaflet import plain_text, sections

    found = sections(plain_text("Day Surgery\n\nAftercare\nContact us if you notice:\n- a high temperature\n"
                                "- heavy bleeding\n\nMost people feel fine. Rest for a day.\n"))
    assert [(s.heading, s.paragraphs) for s in found] == [
        ("Aftercare", (("Contact us if you notice:", "a high temperature.", "heavy bleeding."),
                       ("Most people feel fine.", "Rest for a day."))),
    ]
