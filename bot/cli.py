"""faqbot's command line: ask, console, check, eval, sms."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.engine import Bot, Reply
from bot.evaluation import evaluate, load_set
from bot.gsm import segments
from bot.knowledge import load_knowledge
from bot.sessions import Store
from bot.settings import SettingsError, read_settings, thresholds
from bot.yamlfile import KnowledgeError


def _load_bot(knowledge: str | None, database: str | None = None) -> Bot:
    try:
        settings = read_settings()
        folder = knowledge or settings["FAQBOT_KNOWLEDGE"]
        return Bot.load(folder, Store(database) if database else Store(), thresholds(settings))
    except (KnowledgeError, SettingsError) as exc:
        raise click.ClickException(str(exc)) from None


knowledge_option = click.option("--knowledge", "-k", default=None, help="Knowledge folder (default: FAQBOT_KNOWLEDGE).")


@click.group()
def main() -> None:
    """faqbot: a grounded FAQ assistant for clinics."""


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the reply as the HTTP API gives it.")
@knowledge_option
def ask(question: str, as_json: bool, knowledge: str | None) -> None:
    """Print the bot's reply to one QUESTION."""
    if not question.strip():
        raise click.UsageError("QUESTION is empty.")
    reply = _load_bot(knowledge).reply(question, channel="cli")
    if as_json:
        click.echo(json.dumps(reply.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(_describe(reply))


def _describe(reply: Reply) -> str:
    lines = [f"type:        {reply.type}", f"answer:      {reply.answer}", f"confidence:  {reply.confidence:.2f}"]
    if reply.match:
        lines.append(f"match:       {reply.match['id']} ({reply.match['question']})")
    others = [c for c in reply.candidates if not reply.match or c[0] != reply.match["id"]][:3]
    if others:
        lines.append("candidates:  " + ", ".join(f"{i} {s:.2f}" for i, s in others))
    for source in reply.sources:
        lines.append(f"source:      {source}")
    for n, suggestion in enumerate(reply.suggestions, 1):
        lines.append(f"suggest {n}:   {suggestion}")
    return "\n".join(lines)


@main.command()
@knowledge_option
def console(knowledge: str | None) -> None:
    """Ask questions one per line, as one conversation (:reset, :quit)."""
    bot = _load_bot(knowledge)
    try:
        import readline  # noqa: F401  (history and editing for input())
    except ImportError:  # not on every platform; the console works without it
        pass
    session: str | None = None
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo(f"faqbot console: {bot.entries} entries. Type a question; :reset starts over, :quit leaves.")
    while True:
        try:
            line = input("> " if interactive else "")
        except EOFError:
            break
        line = line.strip()
        if not line:
            continue
        if line in (":quit", ":q", ":exit"):
            break
        if line == ":reset":
            session = None
            click.echo("(new conversation)")
            continue
        reply = bot.reply(line, session, channel="console")
        session = reply.session_id
        click.echo(_describe(reply) + "\n")


@main.command()
@knowledge_option
def check(knowledge: str | None) -> None:
    """Validate the knowledge folder; list every problem with file:line."""
    folder = knowledge or read_settings()["FAQBOT_KNOWLEDGE"]
    try:
        loaded = load_knowledge(folder)
    except KnowledgeError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from None
    answers = sum(e.type == "answer" for e in loaded.entries)
    click.echo(f"ok: {len(loaded.entries)} entries ({answers} answers, {len(loaded.entries) - answers} hand-offs), "
               f"{len(loaded.intents)} small-talk intents, {len(loaded.synonyms)} synonyms")


@main.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Leave out the list of misses.")
@knowledge_option
def eval_command(file: str, quiet: bool, knowledge: str | None) -> None:
    """Score the bot on a labelled FILE (dev-sample YAML or question,expected CSV)."""
    bot = _load_bot(knowledge)
    try:
        labelled = load_set(Path(file))
    except (KnowledgeError, KeyError, TypeError, ValueError) as exc:  # malformed set file
        raise click.ClickException(f"{file}: cannot read the question set ({exc})") from None
    report = evaluate(labelled, lambda question, session: bot.reply(question, session, channel="eval"))
    click.echo(report.render(misses=not quiet))


@main.command(name="sms")
@click.argument("message")
@click.option("--from", "sender", default="+15550000000", help="The texter's number (for the conversation).")
@knowledge_option
def sms_command(message: str, sender: str, knowledge: str | None) -> None:
    """Show exactly what a texter would get back for MESSAGE."""
    from bot.web import create_app  # the SMS rules live with the webhook

    config = {"FAQBOT_DB": ":memory:", "FAQBOT_SMS_ALLOW_UNSIGNED": True, "TWILIO_AUTH_TOKEN": "",
              "FAQBOT_RATE_LIMIT": "off"}
    if knowledge:
        config["FAQBOT_KNOWLEDGE"] = knowledge
    try:
        app = create_app(config)
    except (KnowledgeError, SettingsError) as exc:
        raise click.ClickException(str(exc)) from None
    from bot.sms import answer_text

    with app.test_request_context():
        text = answer_text(sender, message)
    if text is None:
        click.echo("(no reply is sent)")
        return
    count, encoding = segments(text)
    click.echo(text)
    click.echo(f"-- {len(text)} characters, {encoding}, {count} segment{'s' if count != 1 else ''}")
