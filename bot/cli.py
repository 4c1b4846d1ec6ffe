"""faqbot's command line: init, ask, console, check, eval, sms, review, stats, purge, export."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from bot.channel import SmsChannel
from bot.editing import add_alternate
from bot.engine import Bot, Reply
from bot.evaluation import EXPECTATIONS, evaluate, load_set
from bot.gaps import uncovered_sections
from bot.gsm import SMS_LIMIT, segments, sms_form, to_gsm
from bot.knowledge import load_knowledge
from bot.leaflet import LeafletError
from bot.scaffold import FolderExists, init_folder
from bot.sessions import Store, StoreError, is_url, open_store
from bot.settings import SettingsError, cache_folder, read_settings, thresholds
from bot.staff import export, intercepted, parse_since, purge, review, stats, write_review_csv
from bot.text import readable
from bot.yamlfile import KnowledgeError


def _load_bot(knowledge: str | None, database: str | None = None) -> Bot:
    try:
        settings = read_settings()
        folder = knowledge or settings["FAQBOT_KNOWLEDGE"]
        store = open_store(database or ":memory:")
        return Bot.load(folder, store, thresholds(settings), cache_folder(settings))
    except (KnowledgeError, SettingsError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None


# `faqbot check` lists this many of the leaflet's sentences that no entry quotes.
UNCOVERED_SHOWN = 10

knowledge_option = click.option("--knowledge", "-k", default=None, help="Knowledge folder (default: FAQBOT_KNOWLEDGE).")


class Commands(click.Group):
    """Every command's expected errors as one line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (SettingsError, StoreError) as exc:  # a bad setting or a database that cannot be used
            raise click.ClickException(str(exc)) from None
        except KnowledgeError as exc:  # a knowledge folder read by a command that does not report it itself
            raise click.ClickException("; ".join(exc.problems)) from None


@click.group(cls=Commands)
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
    for warning in loaded.warnings:
        click.echo(f"warning: {warning}")
    uncovered = [sentence for section in uncovered_sections(loaded) for p in section.paragraphs for sentence in p]
    if uncovered:
        click.echo(f"{len(uncovered)} sentence(s) of the leaflet are in no entry's sources: the bot answers them as "
                   "the leaflet words them; an entry of your own words them for visitors:")
        for sentence in uncovered[:UNCOVERED_SHOWN]:
            click.echo(f"  - {sentence}")
        if len(uncovered) > UNCOVERED_SHOWN:
            click.echo(f"  (and {len(uncovered) - UNCOVERED_SHOWN} more)")
    cut = [e.id for e in loaded.entries if e.sms == sms_form(e.answer) != to_gsm(e.answer)]
    if cut:
        click.echo(f"{len(cut)} answer(s) are longer than one text message ({SMS_LIMIT} characters), so by SMS only "
                   f"their first sentences are sent: {', '.join(cut)}; an 'sms:' line chooses what is sent "
                   "(try it with faqbot sms)")
    bot = Bot(loaded)
    for found in intercepted(bot):
        for by in dict.fromkeys(by for _, by in found.wordings):  # every wording named, one line per reason
            named = ", ".join(f'"{wording}"' + _cued(bot, wording, reason) for wording, reason in found.wordings
                              if reason == by)
            click.echo(f"warning: entry '{found.entry}': {named} never reach it: {TAKEN_BY[by]}")
    drafts = sum(e.draft for e in loaded.entries)
    if drafts:
        click.echo(f"{drafts} entries still marked 'draft: true' (warnings only: the bot serves them)")


def _cued(bot: Bot, wording: str, by: str) -> str:
    """The words a wording was handed off for (' (on "tablets")'), when the safety checks took it."""
    cue = bot.dialogue.safety.cue(wording) if by == "safety" else ""
    return f' (on "{cue}")' if cue else ""


# Why an entry's wording never reaches it, and what to do (see `faqbot check`).
TAKEN_BY = {
    "safety": "the safety checks read them as the visitor's own situation and hand them to the clinic; word them "
              "as a general question (\"how long does the redness last?\", not \"my redness...\") unless a "
              "hand-off is right",
    "handoff": "they read as asking to speak to someone (a person, a call back, the phone number), which is "
               "answered with the clinic's contact details before any entry is tried; reword them as a question "
               "about the topic, or leave them out",
    "smalltalk": "they read as small talk (a greeting, thanks, goodbye); reword them",
}


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--document", "-d", required=True, type=click.Path(path_type=Path),
              help="The clinic's leaflet: plain text (.txt) or Markdown (.md), UTF-8.")
@click.option("--clinic-name", default=None, help="The clinic's name (default: Example Clinic).")
@click.option("--treatment", default=None, help="What the leaflet is about (default: from its title).")
@click.option("--force", is_flag=True, help="Replace the leaflet, clinic.yaml and faq.yaml of a folder that exists.")
def init(folder: Path, document: Path, clinic_name: str | None, treatment: str | None, force: bool) -> None:
    """Draft a knowledge FOLDER from a leaflet: every entry marked for review."""
    started = time.monotonic()
    try:
        drafts = init_folder(folder, document, clinic_name, treatment, force)
        loaded = load_knowledge(folder)  # what was written must load, or init says so
    except (LeafletError, FolderExists) as exc:
        raise click.ClickException(str(exc)) from None
    except KnowledgeError as exc:
        raise click.ClickException("the drafted folder does not load: " + "; ".join(exc.problems)) from None
    except OSError as exc:  # a folder that cannot be made or written there
        raise click.ClickException(f"cannot write {folder}: {exc.strerror or exc}") from None
    answers = sum(d.type == "answer" for d in drafts)
    click.echo(f"drafted {folder}: {len(drafts)} entries ({answers} from the leaflet, {len(drafts) - answers} "
               f"hand-offs) about {loaded.clinic.treatment!r} in {time.monotonic() - started:.1f} s")
    click.echo(f"next: put your contact details in {folder / 'clinic.yaml'}, then "
               f"faqbot check -k {folder} and faqbot console -k {folder}")


@main.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Leave out the list of misses.")
@click.option("--by-register", is_flag=True,
              help="Also a line per register: the set's '# register: NAME' comments (or a CSV's register column).")
@knowledge_option
def eval_command(file: str, quiet: bool, by_register: bool, knowledge: str | None) -> None:
    """Score the bot on a labelled FILE (dev-sample YAML or question,expected CSV)."""
    bot = _load_bot(knowledge)
    try:
        labelled = load_set(Path(file))
    except KnowledgeError as exc:  # a CSV without its columns
        raise click.ClickException("; ".join(exc.problems)) from None
    except (KeyError, TypeError, ValueError) as exc:  # malformed set file
        raise click.ClickException(f"{file}: cannot read the question set ({exc})") from None
    except OSError as exc:  # missing, a folder, unreadable
        raise click.ClickException(f"{file}: cannot be read ({exc.strerror or exc})") from None
    known = {e.id for e in bot.knowledge.entries} | set(labelled.facts) | set(EXPECTATIONS)
    unknown = sorted({want for run in labelled.runs for case in run for want in case.expected.split("|")} - known)
    if unknown:  # a typo would otherwise count as a miss, silently
        raise click.ClickException(f"{file}: expected values that are no entry id, fact or kind of reply: "
                                   f"{', '.join(unknown)}")
    report = evaluate(labelled, lambda question, session: bot.reply(question, session, channel="eval"))
    click.echo(report.render(misses=not quiet, registers=by_register))


@main.command(name="sms")
@click.argument("message")
@click.option("--from", "sender", default="+15550000000", help="The texter's number (one conversation each).")
@click.option("--db", "database", default=None,
              help="Where conversations are kept between calls (default: FAQBOT_DB).")
@knowledge_option
def sms_command(message: str, sender: str, database: str | None, knowledge: str | None) -> None:
    """Show exactly what a texter would get back for MESSAGE; the next call from the same --from continues."""
    try:
        settings = read_settings()
        location = database or settings["FAQBOT_DB"]
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    sender, message = readable(sender), readable(message)  # (half an emoji from a terminal: U+FFFD)
    bot = _load_bot(knowledge, location)
    # The SMS rules themselves (keywords, opt-outs, the menu), as the webhook applies them; turns are
    # logged as the console's, not as a texter's.
    channel = SmsChannel(lambda: bot, str(settings["FAQBOT_PHONE_SALT"]), channel="console")
    try:
        channel.check_salt()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    text = channel.answer_text(sender, message)
    if text is None:
        click.echo("(no reply is sent)")
        return
    count, encoding = segments(text)
    click.echo(text)
    click.echo(f"-- {len(text)} characters, {encoding}, {count} segment{'s' if count != 1 else ''}")


db_option = click.option("--db", default=None,
                         help="A SQLite file or a postgresql:// URL (default: FAQBOT_DB).")


def _store(database: str | None) -> Store:
    try:
        location = database or read_settings()["FAQBOT_DB"]
        if not is_url(location) and not Path(location).exists():
            raise click.ClickException(f"no database at {location} (set FAQBOT_DB or --db)")
        store = open_store(location)
    except (SettingsError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    click.get_current_context().call_on_close(store.close)
    return store


def _since(text: str) -> float:
    try:
        return parse_since(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None


@main.command(name="review")
@click.option("--since", default="7d", show_default=True, help="How far back: 24h, 7d, 2w ...")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), help="Also write the groups to this CSV file.")
@click.option("--accept", nargs=2, metavar="N ENTRY", help="Add group N's question as an alternate of ENTRY.")
@knowledge_option
@db_option
def review_command(since: str, csv_file: str | None, accept: tuple[str, str] | None, knowledge: str | None,
                   db: str | None) -> None:
    """Questions the bot could not answer, grouped, with a suggested fix."""
    bot = _load_bot(knowledge)
    bot.store = _store(db)
    groups = review(bot, _since(since))
    if accept:
        number, entry_id = accept
        if not number.isdigit() or not 1 <= int(number) <= len(groups):
            raise click.BadParameter(f"choose a group from 1 to {len(groups)}", param_hint="N")
        question = groups[int(number) - 1].example
        try:
            add_alternate(bot.knowledge.folder, entry_id, question)
        except KnowledgeError as exc:
            raise click.ClickException("nothing written: " + "; ".join(exc.problems)) from None
        click.echo(f"added {question!r} as an alternate of {entry_id} in faq.yaml")
        return
    if not groups:
        click.echo("nothing to review: every question was answered confidently")
    for n, g in enumerate(groups, 1):
        reasons = ", ".join(f"{r} x{c}" for r, c in g.reasons.most_common())
        closest = f"{g.closest} ({g.score:.2f})" if g.closest else "none"
        click.echo(f"{n:3d}. [{g.count}x] {g.example!r}\n     {reasons}; closest: {closest}; suggestion: {g.action}")
    if csv_file:
        try:
            with open(csv_file, "w", newline="", encoding="utf-8") as out:
                write_review_csv(groups, out)
        except OSError as exc:  # a missing folder, no permission: say where, and keep what was shown
            raise click.ClickException(f"cannot write {csv_file}: {exc.strerror or exc}") from None
        click.echo(f"wrote {len(groups)} groups to {csv_file}")


@main.command(name="stats")
@click.option("--since", default="30d", show_default=True, help="How far back: 24h, 7d, 30d ...")
@db_option
def stats_command(since: str, db: str | None) -> None:
    """Turns per day and channel, reply types, top entries, helpful rate."""
    result = stats(_store(db), _since(since))
    total = sum(result.types.values())
    click.echo(f"turns: {total}")
    for day, channels in result.days.items():
        click.echo(f"  {day}: " + ", ".join(f"{c} {n}" for c, n in sorted(channels.items())))
    for kind in ("answer", "clarify", "fallback", "handoff", "smalltalk"):
        share = 100.0 * result.types[kind] / total if total else 0.0
        click.echo(f"{kind:10s} {result.types[kind]:6d} {share:5.1f}%")
    click.echo("top entries: " + (", ".join(f"{e} {n}" for e, n in result.top) or "none"))
    helpful, rated = result.helpful
    rate = f"{100.0 * helpful / rated:.0f}% of {rated}" if rated else "no feedback yet"
    click.echo(f"helpful: {rate}")


@main.command(name="purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days, 1 or more (default: FAQBOT_RETENTION_DAYS).")
@db_option
def purge_command(days: int | None, db: str | None) -> None:
    """Delete logged turns older than the retention period now."""
    keep = days if days is not None else read_settings()["FAQBOT_RETENTION_DAYS"]
    click.echo(f"purged {purge(_store(db), keep)} turns older than {keep} days")


@main.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--since", default="30d", show_default=True, help="How far back: 24h, 7d, 30d ...")
@db_option
def export_command(file: str, since: str, db: str | None) -> None:
    """Write the log to a CSV FILE (session keys are random ids or salted hashes)."""
    store = _store(db)
    try:
        count = export(store, _since(since), Path(file))
    except OSError as exc:  # a missing folder, no permission
        raise click.ClickException(f"cannot write {file}: {exc.strerror or exc}") from None
    click.echo(f"wrote {count} turns to {file}")
