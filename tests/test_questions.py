"""The questions `faqbot init` drafts from a leaflet's sentences and headings, as a table."""

import re

import pytest

from bot.drafting import question_bank
from bot.questions import heading_question, key_phrases, people_question, statement_question

TREATMENT = "teeth whitening"


@pytest.mark.parametrize(("sentence", "question"), [
    ("Teeth whitening is a cosmetic treatment that lightens your teeth.", "What is teeth whitening?"),
    ("It can be used on crowns and veneers.", "Can teeth whitening be used on crowns and veneers?"),
    ("The gel may cause some sensitivity, which soon settles.", "Can the gel cause some sensitivity?"),
    ("The dentist checks your gums before treatment.", "Does the dentist check my gums before treatment?"),
    ("You do not usually need an X-ray first.", "Do I usually need an X-ray first?"),
    ("You must not drink coffee for two days afterwards.", "Can I drink coffee for two days afterwards?"),
    ("You should not eat for an hour.", "Can I eat for an hour?"),
    ("Wear the trays for an hour each evening.", "Should I wear the trays for an hour each evening?"),
    ("If your teeth hurt, stop using the gel.", "What if my teeth hurt?"),
    ("It is normal to feel some sensitivity afterwards.", "Is it normal to feel some sensitivity afterwards?"),
    ("This is a sign that the gel is working.", "Is this a sign that the gel is working?"),
    ("Good candidates for teeth whitening include those who have healthy gums.",
     "Who are good candidates for teeth whitening?"),
    ("At your first visit, your dentist will look at your teeth.", "Will my dentist look at my teeth?"),
    ("The results you can expect are less dramatic than veneers.",
     "Are the results I can expect less dramatic than veneers?"),
    ("Normally, the gel is washed off after an hour.", "Is the gel washed off after an hour?"),
    ("The whole appointment takes about 45 minutes, including a check.", "How long does the whole appointment take?"),
    ("The bleaching itself usually lasts an hour.", "How long does the bleaching last?"),
    ("Please do not eat for an hour afterwards.", "Can I eat for an hour afterwards?"),
    ("Walk for 20 minutes after your appointment.", "Should I walk for 20 minutes after my appointment?"),
    # the visitor's "I am" for the leaflet's "you are", "you" for its "we", no list left hanging
    ("If you are sensitised to that allergen, a bump appears.", "What if I am sensitised to that allergen?"),
    ("We can test for common allergens such as:", "Can you test for common allergens?"),
    # a run-in label is what the sentence after it is about; "you" before a verb is who acts
    ("Driving: please do not drive for the rest of the day.", "Can I drive for the rest of the day?"),
    ("Sensitivity: the gel may cause some for a day.", "Can the gel cause some for a day?"),
    ("Flushing: it settles.", "What about flushing?"),
    ("Bring a list of the medicines you take.", "Should I bring a list of the medicines I take?"),
    ("The gel will help you relax.", "Will the gel help me relax?"),
    # "if you" is the visitor's "if I"; what "may need" is asked "will"; a perfect tense keeps its "has"
    ("If you feel unwell afterwards, call us.", "What if I feel unwell afterwards?"),
    ("You may need a check-up first.", "Will I need a check-up first?"),
    ("Your dentist has asked for an X-ray.", "Has my dentist asked for an X-ray?"),
    # a line that asks already; a clause before the comma that only sets the scene; a list left hanging
    ("Which toothpastes are safe to use", "Which toothpastes are safe to use?"),
    ("How often you come back depends on your teeth.", ""),
    ("Even if you have had braces, you can still have whitening.", "Can I still have whitening?"),
    ("Let us know before your appointment if:", "Should I let you know before my appointment?"),
    # an instruction whose first comma lists words, or opens with how to follow it
    ("Wear loose, comfortable clothing.", "Should I wear loose comfortable clothing?"),
    ("Avoid coffee, the sun and red wine.", ""),
    ("Ideally have a check-up first.", "Should I ideally have a check-up first?"),
    # an outside review's: "may have" gives leave; "has" before an adjective is no perfect tense; "daily" is
    # no way of acting; a clause that names something asks nothing; the leaflet asking its reader
    ("You may have a shower after 24 hours.", "Can I have a shower after 24 hours?"),
    ("The vaccine has limited side effects.", "Does the vaccine have limited side effects?"),
    ("We have offered evening appointments since May.", "Have you offered evening appointments since May?"),
    ("Daily exercise helps your back recover.", "Does daily exercise help my back recover?"),
    ("What happens next depends on your results.", ""),
    ("Have you had a reaction to a vaccine before?", ""),
])
def test_a_statement_becomes_the_question_a_visitor_asks(sentence, question):
    assert statement_question(sentence, TREATMENT) == question


@pytest.mark.parametrize(("heading", "question"), [
    ("Who can have it?", "Who can have it?"),
    ("When to call us", "When should I call you?"),
    ("Preparing for your appointment", "How do I prepare for my appointment?"),
    ("Looking after your teeth", "How do I look after my teeth?"),
    ("Your first visit", "What about my first visit?"),
    ("Signs of a blockage", "What are the signs of a blockage?"),
    ("Possible side effects", "What are the possible side effects?"),
    ("Before your appointment", "What should I do before my appointment?"),
    ("On the day", "What happens on the day?"),
    ("Afterwards", "What happens afterwards?"),
    ("Why we prefer it to syringing", "Why do you prefer it to syringing?"),
    ("Who should check with us first", "Who should check with you first?"),
    ("How it works", "How does it work?"),
    ("Who it is for", "Who is it for?"),
    ("Why you should not use cotton buds", "Why should I not use cotton buds?"),
    ("Before and after photos", "What about before and after photos?"),
    ("What happens on the day", "What happens on the day?"),
    ("What we need from you", "What do you need from me?"),
    ("About this leaflet", "What about this leaflet?"),
    # an -ing heading's verbs as a visitor says them, and the part after a label's colon
    ("Travelling with children", "How do I travel with children?"),
    ("Eating and drinking", "How do I eat and drink?"),
    ("Coming back for a check", "How do I come back for a check?"),
    ("Whitening at home: looking after your teeth", "How do I look after my teeth?"),
    # one thing named in the plural's form is no list of them
    ("Risks", "What are the risks?"),
    ("Rabies", "What about rabies?"),
    # after a label's colon, things named ask nothing of their own
    ("Side effects: swelling and bruising", "What about side effects swelling and bruising?"),
    ("Common problems: feeling sick", "What about common problems feeling sick?"),
])
def test_a_heading_becomes_a_question(heading, question):
    assert heading_question(heading) == question


def test_people_in_the_leaflet_are_the_visitor():
    assert people_question("Some people may notice sensitivity for a day.") == "will i notice sensitivity for a day"


def test_key_phrases_leave_out_the_treatment_and_filler():
    sentence = "Teeth whitening uses a bleaching gel that breaks up stains on the enamel."
    phrases = key_phrases(sentence, TREATMENT, limit=6)
    assert phrases[0] == "bleaching gel"
    assert "enamel" in phrases and all("whitening" not in p for p in phrases)


def test_the_question_bank_is_general_and_complete():
    """bot/data/questionbank.yaml: every topic has anchors and general questions; a question about
    something in particular says what the leaflet must name; nothing names one clinic's treatment."""
    bank = question_bank()
    assert len(bank) >= 40
    for topic in bank:
        assert topic["anchors"] and len(topic["questions"]) + len(topic.get("specific") or []) >= 3, topic["name"]
        for item in topic.get("specific") or []:
            assert item["ask"] and item["needs"], (topic["name"], item)
        said = " ".join([*topic["anchors"], *topic["questions"], *(i["ask"] for i in topic.get("specific") or [])])
        assert not re.search(r"laser|skin tighten|whitening|implant|hearing aid", said), topic["name"]
