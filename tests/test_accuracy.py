"""Accuracy on our own labelled questions: the tuning set and the held-aside set.

The held-aside files (holdout.csv, holdout_dialogues.yaml) were never used to
choose weights or add alternates; they check that the bot generalises.
"""

import csv
from pathlib import Path

import pytest
import yaml

from bot import Bot
from bot.evaluation import evaluate, load_set
from bot.knowledge import load_knowledge
from bot.scaffold import init_folder
from bot.text import normalize

DATA = Path(__file__).resolve().parent / "data"
PROJECT = DATA.parent.parent


def report_for(bot, name):
    return evaluate(load_set(DATA / name), lambda q, s: bot.reply(q, s))


def share(report, category):
    rows = {c: (h, n) for c, h, n in report.table()}
    hit, n = rows[category]
    return hit / n


def test_labelled_sets_are_big_enough():
    rows = []
    for name in ("tune.csv", "holdout.csv"):
        lines = [line for line in (DATA / name).read_text().splitlines() if not line.startswith("#")]
        rows += list(csv.DictReader(lines))
    out_of_scope = [r for r in rows if r["expected"] in ("fallback", "handoff")]
    in_scope = [r for r in rows if r not in out_of_scope]
    assert len(in_scope) >= 200 and len(out_of_scope) >= 80
    dialogues = sum(len(load_set(DATA / n).runs) for n in ("tune_dialogues.yaml", "holdout_dialogues.yaml"))
    assert dialogues >= 20


# Floors a little under today's figures (tuning 96.2%, held aside 95.5%), so a
# change that loses accuracy fails here.
@pytest.mark.parametrize(("name", "floor"), [("tune.csv", 0.95), ("holdout.csv", 0.93)])
def test_overall_accuracy(shipped_bot, name, floor):
    report = report_for(shipped_bot, name)
    # A held-aside set is only ever reported as a total: its misses are never shown.
    summary = report.render() if "holdout" not in name else f"overall {report.hits}/{len(report.results)}"
    assert report.hits / len(report.results) >= floor, summary


HELD_ASIDE = [
    ("knowledge", "holdout.csv", ["tune.csv", "tune_dialogues.yaml", "formal-laser.yaml", "fresh-laser.yaml",
                                  "social.yaml", "laser-r2.yaml"]),
    ("examples/hearing-aids", "hearing-aids/holdout.yaml", ["hearing-aids/blind-a.yaml", "hearing-aids/formal.yaml",
                                                            "hearing-aids/fresh.yaml", "social.yaml"]),
]


@pytest.mark.parametrize(("folder", "held", "tuning"), HELD_ASIDE)
def test_no_held_aside_question_is_in_tuning_data_or_the_knowledge(folder, held, tuning):
    def questions(name, singles=False):
        return {normalize(c.question) for run in load_set(DATA / name).runs if len(run) == 1 or not singles
                for c in run}

    seen = set().union(*(questions(name) for name in tuning))
    seen |= {normalize(p) for e in load_knowledge(PROJECT / folder).entries for p in e.phrasings}
    # Single questions: a conversation's "hi" or "thanks" is bound to be asked elsewhere too.
    shared = questions(held, singles=True) & seen
    assert not shared, f"{held}: {len(shared)} questions are not held aside"


# The goals: at least 95% of out-of-scope questions refused, at most 1% answered
# with confidence >= 0.8 (on the held-aside set's 25, that means none).
@pytest.mark.parametrize(("name", "floor", "confident"), [("tune.csv", 0.95, 0.01), ("holdout.csv", 0.95, 0.01)])
def test_out_of_scope_is_refused_and_rarely_answered_confidently(shipped_bot, name, floor, confident):
    report = report_for(shipped_bot, name)
    assert share(report, "out-of-scope") >= floor
    bad, total = report.confident_false_answers(0.8)
    assert bad / total <= confident


@pytest.mark.parametrize("name", ["tune.csv", "holdout.csv"])
def test_every_safety_case_is_handed_off(shipped_bot, name):
    assert share(report_for(shipped_bot, name), "safety") == 1.0


@pytest.mark.parametrize("name", ["tune_dialogues.yaml", "holdout_dialogues.yaml"])
def test_dialogues(shipped_bot, name):
    report = report_for(shipped_bot, name)
    assert report.hits / len(report.results) >= 0.9, report.render()


def test_confident_answers_are_right(shipped_bot):
    report = report_for(shipped_bot, "tune.csv")
    sure = [r for r in report.results if r.reply.type in ("answer", "handoff") and r.reply.match
            and r.reply.confidence >= 0.8]
    assert sum(r.ok for r in sure) / len(sure) >= 0.97


# Blind batches (docs/accuracy.md), on the clinic each is about: floors a little
# under today's figures, so a change that loses accuracy on unseen wording, or
# for another clinic, fails here. The held-aside file is reported as a total only.
BATCHES = [
    ("examples/hearing-aids", "hearing-aids/blind-a.yaml", 0.79),
    ("examples/hearing-aids", "hearing-aids/holdout.yaml", 0.74),
    ("examples/hearing-aids", "hearing-aids/formal.yaml", 0.65),
    ("examples/hearing-aids", "social.yaml", 0.84),
    ("knowledge", "formal-laser.yaml", 0.82),
    ("knowledge", "social.yaml", 0.84),
    ("knowledge", "fresh-laser.yaml", 0.84),
    ("examples/hearing-aids", "hearing-aids/fresh.yaml", 0.77),
    ("examples/dental-implants", "dental-implants/blind.yaml", 0.71),
    ("knowledge", "laser-r2.yaml", 0.83),
    ("examples/physio-back-pain", "physio-back-pain/blind.yaml", 0.76),
    ("examples/ingrown-toenail", "ingrown-toenail/blind.yaml", 0.83),
    ("knowledge", "laser-r3.yaml", 0.76),
    ("examples/dental-implants", "dental-implants/registers.yaml", 0.59),
    ("knowledge", "laser-r4.yaml", 0.77),
    ("examples/ingrown-toenail", "ingrown-toenail/registers.yaml", 0.79),
    # Two clinics whose staff wrote their folders following the README alone, scored on questions
    # written from their leaflets before any folder existed (tests/data/drafted/).
    ("examples/ear-wax-microsuction", "drafted/ear-wax-microsuction/blind.yaml", 0.79),
    ("examples/thread-veins", "drafted/thread-veins/blind.yaml", 0.80),
    # A seventh clinic: leaflet and questions by one writer, the folder by its staff from the README alone.
    ("examples/cataract-surgery", "cataract-surgery/blind.yaml", 0.80),
    # An eighth: a hand clinic, the same way (before-figure 79.1%, see docs/accuracy.md).
    ("examples/carpal-tunnel-release", "carpal-tunnel-release/blind.yaml", 0.77),
    # A tenth: an endoscopy unit, the same way (before-figure 74.2%, see docs/accuracy.md).
    ("examples/colonoscopy", "colonoscopy/blind.yaml", 0.74),
    # An eleventh: a men's health clinic, the same way (before-figure 77.7%, see docs/accuracy.md).
    ("examples/vasectomy", "drafted/vasectomy/blind.yaml", 0.75),
    # A twelfth: a day-surgery unit's knee arthroscopy, the same way (before-figure 82.1%, see docs/accuracy.md).
    ("examples/knee-arthroscopy", "drafted/knee-arthroscopy/blind.yaml", 0.80),
    # A thirteenth: an allergy clinic's skin prick testing, the same way (before-figure 65.5%, see docs/accuracy.md).
    ("examples/allergy-skin-prick-testing", "drafted/allergy-skin-prick/blind.yaml", 0.66),
    # A fourteenth: a sexual health clinic's contraceptive implant, the same way (before-figure 74.5%).
    ("examples/contraceptive-implant", "drafted/contraceptive-implant/blind.yaml", 0.76),
    # A fifteenth: a musculoskeletal clinic's steroid joint injections, the same way (before-figure 77.7%).
    ("examples/steroid-joint-injection", "drafted/steroid-joint-injection/blind.yaml", 0.77),
    # A sixteenth: an infant feeding clinic's tongue-tie division, the same way (before-figure 70.4%).
    ("examples/tongue-tie-division", "drafted/tongue-tie-division/blind.yaml", 0.71),
    # A seventeenth: a sleep clinic's CPAP for sleep apnoea, the same way (before-figure 74.1%).
    ("examples/cpap-sleep-apnoea", "drafted/cpap-sleep-apnoea/blind.yaml", 0.75),
    # An eighteenth: a travel health clinic's vaccinations and malaria prevention (before-figure 73.0%).
    ("examples/travel-vaccinations", "drafted/travel-vaccinations/blind.yaml", 0.73),
    # A nineteenth: a hospital imaging department's MRI scans (before-figure 72.4%).
    ("examples/mri-scan", "drafted/mri-scan/blind.yaml", 0.72),
    # A twentieth: a GP practice's cervical screening (before-figure 73.1%).
    ("examples/cervical-screening", "drafted/cervical-screening/blind.yaml", 0.73),
    # A twenty-first: a hospital cardiac unit's ambulatory ECG (Holter) monitoring (before-figure 78.7%).
    ("examples/holter-monitor", "drafted/holter-monitor/blind.yaml", 0.78),
]


@pytest.mark.parametrize(("folder", "name", "floor"), BATCHES)
def test_blind_batches(folder, name, floor):
    bot = Bot.load(PROJECT / folder)
    report = report_for(bot, name)
    hits, total = report.hits, len(report.results)
    assert hits / total >= floor, f"{name}: overall {hits}/{total}"
    refused = share(report, "out-of-scope")
    assert refused >= REFUSED.get(name, 0.90), f"{name}: out-of-scope refused {refused:.0%}"
    bad, _ = report.confident_false_answers(0.8)
    assert bad <= CONFIDENT.get(name, 1), f"{name}: {bad} out-of-scope questions answered confidently"


# The podiatry and vein clinics' staff folders each answer two out-of-scope questions
# confidently, one over the goal, and the knee unit's three (see docs/accuracy.md): kept here so that
# they get no worse.
CONFIDENT = {"ingrown-toenail/blind.yaml": 2, "drafted/thread-veins/blind.yaml": 2,
             # (the knee unit's five answered out-of-scope questions are the same since its before-figure; a
             # refit of the calibration took one, a steroid injection's effect, from 0.80 to 0.81)
             "drafted/knee-arthroscopy/blind.yaml": 4,
             # the allergy clinic's: an intradermal test and air purifiers, next to the leaflet's own words
             "drafted/allergy-skin-prick/blind.yaml": 2}
# The men's health set refuses 25 of its 28 out-of-scope questions, staff's folder and draft alike: its traps
# ask about a reversal's recovery and a normal sperm count, next to the leaflet's own sentences on both.
REFUSED = {"drafted/vasectomy/blind.yaml": 0.89,
           # the knee unit's: a short flight, dissolvable stitches, a steroid injection's effect, scars after a year
           "drafted/knee-arthroscopy/blind.yaml": 0.82,
           # the allergy clinic's: an intradermal test, a food challenge's length (0.60, at the line), air purifiers,
           # the best antihistamine for hay fever
           "drafted/allergy-skin-prick/blind.yaml": 0.85,
           # the contraceptive implant's draft: the contraceptive injection, an implant for men (both at 0.63),
           # and up to what age it may be kept, answered from who can have it
           "drafted/contraceptive-implant/blind.yaml": 0.89,
           # the travel clinic's: meningitis ACWY for Hajj and how long the tick-borne encephalitis vaccine lasts
           # (both answered from the list of private vaccines), flying the day after
           "drafted/travel-vaccinations/blind.yaml": 0.89}


# Personal situations written blind for each clinic (tests/data/safety/): each is
# handed to the clinic (one dental question, "I smoke 20 a day, is my implant
# going to fail?", is answered from the leaflet's sentence on smoking), and the
# general questions beside them are still answered.
SAFETY_BATCHES = [("knowledge", "laser.yaml", 30), ("examples/hearing-aids", "hearing.yaml", 30),
                  ("examples/dental-implants", "dental.yaml", 29), ("examples/physio-back-pain", "physio.yaml", 30)]


@pytest.mark.parametrize(("folder", "name", "handed_off"), SAFETY_BATCHES)
def test_personal_situations_are_handed_off_at_every_clinic(folder, name, handed_off):
    report = report_for(Bot.load(PROJECT / folder), f"safety/{name}")
    rows = {c: (h, n) for c, h, n in report.table()}
    assert rows["safety"][0] >= handed_off, report.render()
    assert share(report, "answer") >= 0.85, report.render()


# Leaflets whose questions were written blind before `faqbot init` ever drafted
# them (tests/data/drafted/): the untouched draft, with only clinic.yaml's contact
# details filled in, keeps its figures, refuses what the leaflet does not say and
# hands every personal situation to the clinic.
# (The last two: before-figures 41.0% and 47.6% with the drafts of the day, 53.7% and 54.5% with the
# everyday question bank, measured before anything was changed for them; the cystoscopy set's before-figure
# with the session's final drafts: 50.3%; the vasectomy set's, 55.4%; the knee arthroscopy set's, 59.0%; the
# allergy testing set's, 45.3%; the contraceptive implant set's, 50.2%; the steroid joint injection set's,
# 48.7%; the tongue-tie division set's, 47.2%; the CPAP set's, 59.4%; the travel vaccinations set's, 36.0%;
# the MRI scan set's, 49.7%; the cervical screening set's, 54.3%; the Holter monitoring set's, 49.5%; see
# docs/accuracy.md.)
DRAFTED = [("ear-wax-microsuction", 0.60), ("thread-veins", 0.66), ("hernia-repair", 0.56), ("mole-removal", 0.56),
           ("cystoscopy", 0.48), ("vasectomy", 0.52), ("knee-arthroscopy", 0.62), ("allergy-skin-prick", 0.45),
           ("contraceptive-implant", 0.51), ("steroid-joint-injection", 0.48), ("tongue-tie-division", 0.47),
           ("cpap-sleep-apnoea", 0.61), ("travel-vaccinations", 0.36), ("mri-scan", 0.50),
           ("cervical-screening", 0.53), ("holter-monitor", 0.50)]
# The infant feeding draft answers two of its fifteen personal situations: a count of wet nappies
# ("only 3 wet nappies today since the procedure", from the leaflet's list of when to get help) and a
# missed dose of vitamin K drops (from its sentence on vitamin K), told in words no general check knows.
HANDED_OFF = {"tongue-tie-division": 13 / 15}


@pytest.mark.parametrize(("name", "floor"), DRAFTED)
def test_an_untouched_draft_of_a_new_leaflet(tmp_path, name, floor):
    leaflet = next((DATA / "drafted" / name).glob("*.txt"))
    folder = tmp_path / name
    init_folder(folder, leaflet, "A Clinic", None)
    clinic = folder / "clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    assert all("draft" in w for w in load_knowledge(folder).warnings)  # warnings only: the drafts
    report = report_for(Bot.load(folder), f"drafted/{name}/blind.yaml")
    hits, total = report.hits, len(report.results)
    assert hits / total >= floor, report.render()
    assert share(report, "out-of-scope") >= REFUSED.get(f"drafted/{name}/blind.yaml", 0.90), report.render()
    assert report.confident_false_answers(0.8)[0] <= 1, report.render()
    assert share(report, "safety") >= HANDED_OFF.get(name, 1.0), report.render()


# The same two drafts after one review by a member of staff following the README
# ("Start from a leaflet"), who never saw the questions.
REVIEWED = [("ear-wax-microsuction", 0.84), ("thread-veins", 0.84)]


@pytest.mark.parametrize(("name", "floor"), REVIEWED)
def test_a_reviewed_draft_of_a_new_leaflet(name, floor):
    folder = DATA / "drafted" / name / "reviewed"
    assert not load_knowledge(folder).warnings
    report = report_for(Bot.load(folder), f"drafted/{name}/blind.yaml")
    assert report.hits / len(report.results) >= floor, f"{name}: overall {report.hits}/{len(report.results)}"
    assert share(report, "out-of-scope") >= 0.85
    assert share(report, "safety") == 1.0


def test_the_leaflet_answers_for_the_entries_a_clinic_has_not_written(knowledge_dir, monkeypatch):
    """A clinic that has written one entry so far: blind questions about the rest of its leaflet are
    answered from the leaflet's sentences, with no more wrong answers, out-of-scope or personal ones."""
    data = yaml.safe_load((knowledge_dir / "faq.yaml").read_text(encoding="utf-8"))
    kept = [dict(e, follow_ups=[]) for e in data["entries"] if e["id"] == "what"]
    (knowledge_dir / "faq.yaml").write_text(yaml.safe_dump({"entries": kept}, sort_keys=False), encoding="utf-8")
    bot = Bot.load(knowledge_dir)
    with_leaflet = report_for(bot, "laser-r2.yaml")
    monkeypatch.setattr("bot.dialogue.LEAFLET_AT", 2.0)  # (no confidence reaches it: the entries alone)
    entries_only = report_for(bot, "laser-r2.yaml")
    rows, before = {c: h for c, h, _ in with_leaflet.table()}, {c: h for c, h, _ in entries_only.table()}
    # (measured: 7 -> 26 of 183 answerable right, no more wrong answers)
    assert rows["answer"] >= before["answer"] + 12, with_leaflet.render()
    assert rows["out-of-scope"] >= before["out-of-scope"] and rows["safety"] >= before["safety"]

    def wrong(report):
        return sum(r.reply.type == "answer" and not r.ok for r in report.results)
    assert wrong(with_leaflet) <= wrong(entries_only)
