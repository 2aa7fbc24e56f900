"""Search benchmark: a synthetic support-forum corpus, then for each backend the bulk rebuild
rate, the time from save to findable (p50/p95) and the query latency (p50/p95, solved filter,
highlighted snippets), with the peak memory of the process.

    .venv/bin/python -m bench.search --posts 100000 --backend whoosh|postgres|both

bench/README.md says what each number means and holds the results on the reference machine.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import itertools
import logging
import math
import multiprocessing
import os
import platform
import pstats
import queue
import random
import resource
import shutil
import tempfile
import time
import traceback
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import bindparam, create_engine, insert, text, update

from app.config import PROJECT_ROOT
from app.search.backend import SearchQuery
from app.search.documents import ThreadDocument

SEED = 20261124
END = datetime(2026, 11, 24, tzinfo=timezone.utc)
START = END - timedelta(days=730)
USERS = 1000
# Answers per thread, 0 to 6: with the question, about three posts a thread on average.
ANSWER_WEIGHTS = (18, 25, 22, 15, 10, 6, 4)
SOLVED_WHEN_ANSWERED = 0.61   # ≈ half of all threads (82% have an answer)
OFFICIAL_WHEN_ANSWERED = 0.12
LANGUAGE_WEIGHTS = {"en": 88, "de": 4, "fr": 3, "nl": 2, "pl": 1.5, "nb": 1.5}
TAGS = ("windows", "macos", "linux", "android", "ios", "wifi", "bluetooth", "usb", "drivers", "firmware",
        "battery", "display", "audio", "billing", "login", "setup", "warranty", "ink", "scanner", "vpn")
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
# How often a save-to-findable probe searches for its word, in seconds: a search that finds
# nothing also asks for a spelling suggestion, which costs CPU the indexer thread needs too.
POLL = 0.05
PROFILED_QUERIES = 100
FIND_TIMEOUT = 30.0

# --- the vocabulary ----------------------------------------------------------------------------
# English threads are about one topic (which decides their board), sometimes touching a second
# one: a topic's words are frequent inside it and rare elsewhere, as on a real forum, so a word
# like "printer" matches a share of the threads, not nearly all of them. Every post also has
# function words, general support words and words from a shared tail of rare words (made-up
# product names and model numbers following a Zipf law). The other languages have a smaller
# vocabulary without topics. Within each list the words are most frequent first.

TOPICS = {  # name: (board id, share of English threads, words)
    "printing": (1, 14, "printer offline driver queue spooler print prints printing wireless default status paused "
                        "document pdf job stuck spooling"),
    "ink": (1, 8, "cartridge ink toner paper jam tray streaks smudge nozzle head alignment cleaning color black "
                  "quality roller duplex"),
    "scanning": (1, 5, "scanner scan scanning copier fax feeder resolution twain glass pages"),
    "power": (2, 10, "battery charger charging power fan overheating hot sleep hibernate shutdown wake adapter percent "
                     "drain health"),
    "display": (2, 8, "screen display monitor brightness flicker hdmi displayport resolution dock external dim pixels"),
    "input": (2, 5, "keyboard touchpad trackpad mouse keys fingerprint typing cursor backlight"),
    "audio": (2, 6, "sound speaker headset microphone volume webcam camera audio crackling mute echo"),
    "wifi": (3, 12, "wifi router modem signal disconnects internet speed slow isp bandwidth mesh extender channel"),
    "network": (3, 6, "ethernet dns dhcp vpn ip ping latency port firewall proxy lan"),
    "bluetooth": (3, 5, "bluetooth pairing paired headphones earbuds range device"),
    "phone": (4, 10, "phone android iphone app notification notifications sync icloud storage apps sim contacts photos"),
    "account": (5, 8, "account login password verification code email authenticator locked sign security"),
    "billing": (5, 6, "subscription billing invoice refund cancel license order delivery shipping warranty replacement "
                      "serial registration"),
}
BOARDS = {1: "printers", 2: "laptops", 3: "networking", 4: "phones", 5: "accounts"}
GENERAL = ("error update install restart settings windows macos firmware version reset crash freeze usb cable "
           "support manual latest backup")
FUNCTION = ("the my i it is not and to a of in on for with after when but still again this that have has tried "
            "works working stopped anymore every time new same problem issue help thanks please anyone how what "
            "why fix fixed solution here yesterday today week already also then there some all any get got shows "
            "says keeps does did can will should try check make sure from just only now")
OTHER_LANGUAGES = {  # code: (function words, support words)
    "de": ("der die das ich mein meine ist nicht und nach dem mit seit wieder funktioniert kein keine hilfe danke "
           "bitte problem immer noch auch ein eine",
           "drucker treiber akku aktualisierung verbindung fehler bildschirm tastatur maus ladegerät kabel netzwerk "
           "passwort konto anmeldung einstellungen router lautsprecher kamera speicher papierstau patrone tinte "
           "neustart offline"),
    "fr": ("le la les je mon ma est ne pas et après avec depuis encore fonctionne plus aide merci problème "
           "toujours aussi une un",
           "imprimante pilote batterie connexion erreur écran clavier souris chargeur câble réseau mot passe compte "
           "paramètres routeur parleur caméra mémoire bourrage cartouche encre redémarrage mise jour"),
    "nl": ("de het een mijn ik is niet en na met sinds weer werkt geen hulp bedankt alstublieft probleem nog "
           "steeds ook",
           "printer stuurprogramma accu batterij verbinding fout scherm toetsenbord muis oplader kabel netwerk "
           "wachtwoord account instellingen router luidspreker camera geheugen papierstoring cartridge inkt "
           "herstart update"),
    "pl": ("nie działa po mój moja jest i z od znowu już pomoc dziękuję proszę problem nadal też się to",
           "drukarka sterownik bateria połączenie błąd ekran klawiatura mysz ładowarka kabel sieć hasło konto "
           "ustawienia router głośnik kamera pamięć zacięcie tusz wkład restart aktualizacja drukarki sterownika"),
    "nb": ("jeg min mitt er ikke og etter med siden igjen fungerer ingen hjelp takk problem fortsatt også det en",
           "skriver driver batteri tilkobling feil skjerm tastatur mus lader kabel nettverk passord konto "
           "innstillinger ruter høyttaler kamera minne papirstopp blekk patron omstart oppdatering"),
}
# Shares of a post's words. English: function, own topic, second topic (when there is one),
# general support words, rare words. Other languages: function, support, rare.
ENGLISH_MIX = (0.53, 0.26, 0.05, 0.02, 0.14)
OTHER_MIX = (0.45, 0.41, 0.14)
SECOND_TOPIC = 0.3
TAIL_SIZE = 20000
QUERY_TAIL = 3000  # rare query words come from the 3,000 most used of the tail


@dataclass
class Words:
    """Words with cumulative Zipf weights, to draw many at once with choices()."""

    words: list[str]
    cumulative: list[float]

    @classmethod
    def of(cls, words: str | list[str], exponent: float = 1.0) -> Words:
        listed = words.split() if isinstance(words, str) else words
        return cls(listed, list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(listed)))))

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)


def _tail(rng: random.Random, size: int) -> list[str]:
    """Rare words: made-up product and brand names (syllables) and model numbers, all distinct."""
    consonants, vowels = "bcdfghjklmnprstvz", "aeiou"
    words: dict[str, None] = {}
    while len(words) < size:
        if rng.random() < 0.2:
            word = rng.choice(("lx", "mf", "pro", "hp", "zr", "tx", "e")) + str(rng.randint(100, 9999))
        else:
            word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        words[word] = None
    return list(words)


@dataclass
class Vocabulary:
    topics: dict[str, Words]
    general: Words
    function: dict[str, Words]  # per language
    support: dict[str, Words]   # other languages only
    tail: Words

    @classmethod
    def build(cls, rng: random.Random) -> Vocabulary:
        return cls(topics={name: Words.of(words, 0.8) for name, (_, _, words) in TOPICS.items()},
                   general=Words.of(GENERAL, 0.8),
                   function={"en": Words.of(FUNCTION), **{code: Words.of(f) for code, (f, _) in OTHER_LANGUAGES.items()}},
                   support={code: Words.of(s, 0.8) for code, (_, s) in OTHER_LANGUAGES.items()},
                   tail=Words.of(_tail(rng, TAIL_SIZE), 1.05))


def _mixed(rng: random.Random, parts: list[tuple[Words, float]], count: int) -> list[str]:
    """`count` words, each drawn from one of the parts with the part's share."""
    kinds = rng.choices(range(len(parts)), weights=[share for _, share in parts], k=count)
    drawn = [iter(words.draw(rng, kinds.count(i))) for i, (words, _) in enumerate(parts)]
    return [next(drawn[kind]) for kind in kinds]


# --- the corpus --------------------------------------------------------------------------------

@dataclass(slots=True)
class PostSpec:
    id: int
    kind: str
    author_id: int
    body: str
    kudos: int
    created: datetime


@dataclass(slots=True)
class ThreadSpec:
    id: int
    board_id: int
    author_id: int
    title: str
    tags: tuple[str, ...]
    language: str
    posts: list[PostSpec]
    accepted_id: int | None
    official_id: int | None

    @property
    def created(self) -> datetime:
        return self.posts[0].created

    @property
    def activity(self) -> datetime:
        return self.posts[-1].created

    def document(self) -> ThreadDocument:
        """The document app/search/documents.py builds for this thread once it is in the database."""
        return ThreadDocument(
            thread_id=self.id, title=self.title, text=" \n ".join(p.body for p in self.posts),
            board_id=self.board_id, tags=self.tags, solved=self.accepted_id is not None,
            official=self.official_id is not None, kudos=sum(p.kudos for p in self.posts),
            answers=len(self.posts) - 1, created=self.created, activity=self.activity, language=self.language)


@dataclass
class Corpus:
    threads: list[ThreadSpec]
    vocabulary: Vocabulary

    @property
    def posts(self) -> int:
        return sum(len(t.posts) for t in self.threads)


def _sentences(words: list[str]) -> str:
    """Words as sentences of 6–14 words (what a snippet shows)."""
    out, i = [], 0
    while i < len(words):
        n = 6 + (len(out) * 5 + i) % 9
        sentence = words[i:i + n]
        out.append(" ".join([sentence[0].capitalize(), *sentence[1:]]) + ".")
        i += n
    return " ".join(out)


def _kudos(rng: random.Random) -> int:
    return min(200, int(rng.paretovariate(1.3)) - 1)


def _pick_topic(rng: random.Random) -> str:
    return rng.choices(list(TOPICS), [share for _, share, _ in TOPICS.values()])[0]


def _thread_words(rng: random.Random, vocabulary: Vocabulary, language: str) -> tuple[int, list, Words]:
    """The board, the word mix of the posts and the words titles are made of, for a new thread."""
    topic = _pick_topic(rng)
    board = TOPICS[topic][0]
    if language != "en":
        support = vocabulary.support[language]
        return board, [(vocabulary.function[language], OTHER_MIX[0]), (support, OTHER_MIX[1]),
                       (vocabulary.tail, OTHER_MIX[2])], support
    function, own, second, general, rare = ENGLISH_MIX
    parts = [(vocabulary.function["en"], function), (vocabulary.topics[topic], own + second),
             (vocabulary.general, general), (vocabulary.tail, rare)]
    if rng.random() < SECOND_TOPIC:
        parts[1] = (vocabulary.topics[topic], own)
        parts.append((vocabulary.topics[rng.choice([t for t in TOPICS if t != topic])], second))
    return board, parts, vocabulary.topics[topic]


def build_corpus(posts: int, seed: int = SEED) -> Corpus:
    rng = random.Random(seed)
    vocabulary = Vocabulary.build(rng)
    codes, code_weights = list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values())
    span = (END - START).total_seconds()
    threads: list[ThreadSpec] = []
    post_id = made = 0
    while made < posts:
        language = rng.choices(codes, code_weights)[0]
        board, parts, title_words = _thread_words(rng, vocabulary, language)
        answers = min(rng.choices(range(len(ANSWER_WEIGHTS)), ANSWER_WEIGHTS)[0], posts - made - 1)
        title = (title_words.draw(rng, rng.randint(2, 4))
                 + vocabulary.function[language].draw(rng, rng.randint(1, 3))
                 + ([vocabulary.tail.words[rng.randrange(QUERY_TAIL)]] if rng.random() < 0.3 else []))
        rng.shuffle(title)
        moment = START + timedelta(seconds=rng.random() * span * 0.995)
        thread_posts = []
        for index in range(answers + 1):
            post_id += 1
            count = rng.randint(25, 120) if index == 0 else rng.randint(15, 100)
            thread_posts.append(PostSpec(post_id, "question" if index == 0 else "answer", rng.randint(1, USERS),
                                         _sentences(_mixed(rng, parts, count)), _kudos(rng), moment))
            moment = min(END, moment + timedelta(seconds=rng.expovariate(1 / 86400)))
        accepted = official = None
        if answers:
            if rng.random() < SOLVED_WHEN_ANSWERED:
                accepted = rng.choice(thread_posts[1:])
                accepted.kudos += rng.randint(1, 10)
            if rng.random() < OFFICIAL_WHEN_ANSWERED:
                official = rng.choice(thread_posts[1:])
        heading = " ".join(dict.fromkeys(title))
        threads.append(ThreadSpec(
            id=len(threads) + 1, board_id=board, author_id=thread_posts[0].author_id,
            title=heading[0].upper() + heading[1:], tags=tuple(sorted(rng.sample(TAGS, rng.choice((0, 1, 1, 2, 2, 3))))),
            language=language, posts=thread_posts, accepted_id=accepted.id if accepted else None,
            official_id=official.id if official else None))
        made += answers + 1
    return Corpus(threads, vocabulary)


def make_queries(corpus: Corpus, count: int, seed: int = SEED + 1) -> list[str]:
    """One to three words about one topic: mostly its words (weighted as they are used), some
    general support words, a fifth rarer words (product names, model numbers); one query in
    twenty in another language."""
    rng = random.Random(seed)
    vocabulary = corpus.vocabulary
    rare = Words(vocabulary.tail.words[:QUERY_TAIL], list(itertools.accumulate([1.0] * QUERY_TAIL)))
    queries = []
    for _ in range(count):
        if rng.random() < 0.05:
            parts = [(vocabulary.support[rng.choice(list(OTHER_LANGUAGES))], 0.8)]
        else:
            parts = [(vocabulary.topics[_pick_topic(rng)], 0.7), (vocabulary.general, 0.1)]
        words = _mixed(rng, [*parts, (rare, 0.2)], rng.choices((1, 2, 3), (40, 40, 20))[0])
        queries.append(" ".join(dict.fromkeys(words)))
    return queries


# --- the database ------------------------------------------------------------------------------

def load_database(engine, corpus: Corpus, batch: int = 5000) -> None:  # noqa: ANN001
    """Users, boards, tags, threads and posts as the app would have them (ids as in the corpus)."""
    from app.models import Board, Post, Tag, Thread, User
    from app.models.thread import thread_tags

    moment = START - timedelta(days=1)
    tag_ids = {name: number for number, name in enumerate(TAGS, 1)}
    with engine.begin() as connection:
        connection.execute(insert(User), [
            {"id": i, "email": f"member{i}@bench.invalid", "display_name": f"Member {i}", "password_hash": "!",
             "role": "moderator" if i <= 5 else "member", "created_at": moment} for i in range(1, USERS + 1)])
        connection.execute(insert(Board), [
            {"id": i, "slug": slug, "name": slug.title(), "description": "", "position": i, "created_at": moment}
            for i, slug in BOARDS.items()])
        connection.execute(insert(Tag), [{"id": i, "name": name} for name, i in tag_ids.items()])
    for start in range(0, len(corpus.threads), batch):
        chunk = corpus.threads[start:start + batch]
        with engine.begin() as connection:
            connection.execute(insert(Thread), [
                {"id": t.id, "board_id": t.board_id, "author_id": t.author_id, "title": t.title,
                 "slug": "-".join(t.title.lower().split())[:160], "status": "open",
                 "answer_count": len(t.posts) - 1, "kudos_count": t.posts[0].kudos,
                 "created_at": t.created, "last_activity_at": t.activity} for t in chunk])
            connection.execute(insert(Post), [
                {"id": p.id, "thread_id": t.id, "author_id": p.author_id, "kind": p.kind, "body_source": p.body,
                 "body_html": f"<p>{escape(p.body, quote=False)}</p>", "created_at": p.created,
                 "kudos_count": p.kudos, "language": t.language, "review_state": "approved"}
                for t in chunk for p in t.posts])
            tagged = [{"thread_id": t.id, "tag_id": tag_ids[name]} for t in chunk for name in t.tags]
            if tagged:
                connection.execute(insert(thread_tags), tagged)
            marked = [t for t in chunk if t.accepted_id or t.official_id]
            if marked:
                statement = (update(Thread).where(Thread.id == bindparam("tid"))
                             .values(status=bindparam("new_status"), accepted_answer_id=bindparam("accepted"),
                                     official_answer_id=bindparam("official")))
                connection.execute(statement, [
                    {"tid": t.id, "new_status": "solved" if t.accepted_id else "open", "accepted": t.accepted_id,
                     "official": t.official_id} for t in marked])
    if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        with engine.begin() as connection:
            for table in ("users", "boards", "tags", "threads", "posts"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))


def prepare_database(database_url: str, corpus: Corpus) -> None:
    """Migrate a new database, load the corpus into it and check that the indexer would build the
    same documents from it as the benchmark writes directly."""
    from sqlalchemy.orm import Session

    from app.db import make_engine
    from app.migrate import upgrade
    from app.search import documents

    started = time.perf_counter()
    upgrade(database_url)
    engine = make_engine(database_url)
    load_database(engine, corpus)
    sample = random.Random(SEED + 4).sample(corpus.threads, min(200, len(corpus.threads)))
    with Session(engine) as session:
        loaded = documents.load(session, [t.id for t in sample])
    differing = [t.id for t in sample if loaded[t.id] is None or loaded[t.id].digest != t.document().digest]
    engine.dispose()
    if differing:
        raise SystemExit(f"The database gives other documents than the corpus for threads {differing[:10]}")
    print(f"  ({engine.dialect.name} database migrated and loaded in {time.perf_counter() - started:.0f} s)",
          flush=True)


# --- measuring ---------------------------------------------------------------------------------

def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def memory_now() -> str:
    """The resident memory now, split into the process's own and file pages it maps (Whoosh maps
    its segment files: those pages are the page cache, counted in RSS while mapped)."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    megabytes = {key: int(status[key].split()[0]) / 1024 for key in ("RssAnon", "RssFile") if key in status}
    return ", ".join(f"{key[3:].lower()} {value:.0f} MB" for key, value in megabytes.items())


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


@dataclass
class Latency:
    samples: list[float]  # milliseconds
    note: str = ""
    missed: int = 0       # saves never found within FIND_TIMEOUT
    errors: Counter = field(default_factory=Counter)  # "where: exception" → how many times

    @property
    def p50(self) -> float:
        return percentile(self.samples, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)

    def line(self) -> str:
        lost = f", {self.missed} never found" if self.missed else ""
        errors = "".join(f"; {count} × {what}" for what, count in self.errors.items())
        if not self.samples:
            return f"nothing found within {FIND_TIMEOUT:g} s{lost} {self.note}{errors}"
        return (f"p50 {self.p50:7.1f} ms  p95 {self.p95:7.1f} ms  max {max(self.samples):7.1f} ms  "
                f"(n={len(self.samples)}{lost}) {self.note}{errors}")


@dataclass
class Report:
    backend: str
    threads: int
    posts: int
    lines: list[tuple[str, str]] = field(default_factory=list)
    numbers: dict[str, object] = field(default_factory=dict)
    peaks: list[str] = field(default_factory=list)  # the peak RSS after each measurement

    def add(self, key: str, label: str, value) -> None:  # noqa: ANN001
        self.numbers[key] = value
        self.peaks.append(f"{key} {peak_rss_mb():.0f}")
        text_value = value.line() if isinstance(value, Latency) else str(value)
        self.lines.append((label, text_value))
        print(f"  {label:<40} {text_value}", flush=True)


def measure_rebuild(report: Report, backend, documents: list[ThreadDocument]) -> None:  # noqa: ANN001
    started = time.perf_counter()
    backend.rebuild(iter(documents), len(documents))
    seconds = time.perf_counter() - started
    report.add("rebuild", "bulk rebuild (backend.rebuild)",
               f"{seconds:.1f} s = {report.threads / seconds:,.0f} threads/s = {report.posts / seconds:,.0f} posts/s")


def unique_word(number: int) -> str:
    """A word no post contains, one per save (consonants only, ending in "xq": no stemmer changes it)."""
    letters = "".join("bcdfghjkmnpqrstvwxz"[int(d)] for d in str(number))
    return f"qzv{letters}xq"


def save_to_findable(save: Callable[[int, str], None], findable: Callable[[str], bool],
                     count: int, rate: float) -> Latency:
    """Save `count` changes at `rate` a second, each with its own word, and time from the start
    of each save to the moment a search finds its word (searching every POLL seconds)."""
    pending: dict[str, float] = {}
    latency = Latency([])
    started = time.perf_counter()
    saved = 0
    while saved < count or pending:
        if saved < count and time.perf_counter() >= started + saved / rate:
            word = unique_word(saved)
            pending[word] = time.perf_counter()
            save(saved, word)
            saved += 1
        for word, since in list(pending.items()):
            try:
                hit = findable(word)
            except Exception as error:  # noqa: BLE001 - counted and reported: the user would see a 500
                latency.errors[f"search raised {error.__class__.__name__}: {error}"] += 1
                continue
            if hit:
                latency.samples.append((time.perf_counter() - pending.pop(word)) * 1000)
            elif time.perf_counter() - since > FIND_TIMEOUT:
                del pending[word]
                latency.missed += 1
        time.sleep(POLL)
    return latency


def found(backend, word: str) -> bool:  # noqa: ANN001
    return backend.search(SearchQuery(text=word)).total > 0


def measure_direct_saves(report: Report, backend, corpus: Corpus, count: int, rate: float) -> None:  # noqa: ANN001
    """The backend alone: write one changed thread (a new answer with a unique word), then search."""
    chosen = random.Random(SEED + 2).sample(corpus.threads, count)
    writes: list[float] = []

    def save(number: int, word: str) -> None:
        document = chosen[number].document()
        started = time.perf_counter()
        backend.write({document.thread_id: replace(
            document, text=f"{document.text} \n Update: {word} fixed it for me.", answers=document.answers + 1,
            activity=datetime.now(timezone.utc))})
        writes.append((time.perf_counter() - started) * 1000)

    latency = save_to_findable(save, lambda word: found(backend, word), count, rate)
    latency.note = (f"{count} saves at {rate:g}/s: backend.write() then search, same thread; the write "
                    f"alone p50 {percentile(writes, 0.5):.0f}, p95 {percentile(writes, 0.95):.0f} ms")
    report.add("save_direct", "save→findable, direct backend.write", latency)


def measure_app_saves(report: Report, corpus: Corpus, database_url: str, config: dict, count: int,
                      rate: float) -> None:
    """The embedded default end to end: posting.answer() commits the post and queues its thread in
    one transaction, the app's background indexer thread (polling every 0.5 s, woken after the
    save as the app wakes it after every POST) drains the queue, and this process's searcher
    finds the word."""
    from app import create_app, db
    from app.config import for_tests
    from app.models import User
    from app.search import registry
    from app.services import posting

    app = create_app({**for_tests(database_url, Path(tempfile.gettempdir())), **config,
                      "TESTING": False, "SEARCH_INDEXER": "thread", "SEARCH_POLL_SECONDS": 0.5})
    worker = app.extensions["search_indexer"]
    chosen = random.Random(SEED + 3).sample(corpus.threads, count)
    with app.app_context():
        session = db.session()
        author = session.get(User, USERS)  # a member
        backend = registry.backend(app)
        worker.ensure_running()

        def save(number: int, word: str) -> None:
            posting.answer(session, author, thread_id=chosen[number].id,
                           body=f"What worked for me: {word}, then restart the printer and try again.")
            worker.kick()

        with counting_errors("app.search.background") as failures:
            latency = save_to_findable(save, lambda word: found(backend, word), count, rate)
    latency.note = f"{count} saves at {rate:g}/s: posting.answer → queue → background indexer → search"
    latency.errors.update(failures)
    report.add("save_app", "save→findable, through the app", latency)
    app.extensions["db_engine"].dispose()


class _Counting(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.counts: Counter = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        self.counts[f"indexer drain failed, {error.__class__.__name__}: {error}" if error else record.getMessage()] += 1


@contextmanager
def counting_errors(logger_name: str) -> Iterator[Counter]:
    """Count (instead of printing) the errors a logger reports meanwhile."""
    logger, handler = logging.getLogger(logger_name), _Counting()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.counts
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def run_queries(backend_for_query: Callable[[], object], queries: list[str]) -> tuple[list[float], list[int]]:
    """Each query as the search page asks it (solved only, page 1 of 10, snippets): its time in
    milliseconds and how many threads matched."""
    samples, totals = [], []
    for words in queries:
        backend = backend_for_query()
        started = time.perf_counter()
        results = backend.search(SearchQuery(text=words, solved=True, page=1, per_page=10))
        samples.append((time.perf_counter() - started) * 1000)
        totals.append(results.total)
    return samples, totals


def measure_queries(report: Report, backend, queries: list[str], warmup: int, profile: bool) -> None:  # noqa: ANN001
    for words in queries[:warmup]:  # the worker's first queries open the searcher and fill caches
        backend.search(SearchQuery(text=words, solved=True))
    measured = queries[warmup:]
    samples, totals = run_queries(lambda: backend, measured)
    label = "query, one searcher kept open" if report.backend == "whoosh" else "query, pooled connection"
    report.add("query_warm", label, Latency(
        samples, note=f"{len(measured)} queries, solved filter + snippets, page 1 of 10; "
                      f"median {int(percentile(totals, 0.5))} matches, {totals.count(0)} with none"))
    if profile:  # a second pass: the profiler's overhead must not reach the numbers above
        profiler = cProfile.Profile()
        profiler.runcall(run_queries, lambda: backend, measured[:PROFILED_QUERIES])
        print_profile(profiler, f"{report.backend}: {len(measured[:PROFILED_QUERIES])} warm queries")


def print_profile(profiler: cProfile.Profile, title: str) -> None:
    print(f"\n  --- profile: {title} (top 20 by own time) ---")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(20)
    print(f"  --- profile: {title} (top 15 by cumulative time) ---")
    stats.sort_stats("cumulative").print_stats(15)


# --- the backends ------------------------------------------------------------------------------

def run_whoosh(corpus: Corpus, documents: list[ThreadDocument], args: argparse.Namespace) -> Report:
    from app.search.whoosh_backend import WhooshBackend

    report = Report("whoosh", len(corpus.threads), corpus.posts)
    print("\n== Whoosh ==", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="peerdesk-bench-"))
    try:
        directory = workdir / "index"
        backend = WhooshBackend(directory)
        measure_rebuild(report, backend, documents)
        measure_direct_saves(report, backend, corpus, args.saves, args.save_rate)
        if not args.skip_app_path:
            database_url = f"sqlite:///{workdir / 'peerdesk.sqlite3'}"
            prepare_database(database_url, corpus)
            measure_app_saves(report, corpus, database_url, {"SEARCH_BACKEND": "whoosh",
                                                             "SEARCH_INDEX_DIR": str(directory)},
                              args.saves, args.save_rate)
        queries = make_queries(corpus, args.queries + args.warmup)
        measure_queries(report, backend, queries, args.warmup, args.profile)
        cold = queries[args.warmup:args.warmup + args.cold_queries]
        opened: list[WhooshBackend] = []

        def fresh() -> WhooshBackend:
            for old in opened:
                old.close()
            opened[:] = [WhooshBackend(directory)]
            return opened[0]

        same = report.numbers["query_warm"].samples[:len(cold)]  # the warm timings of these queries
        report.add("query_cold", "query, a new searcher per query", Latency(
            run_queries(fresh, cold)[0], note=f"{len(cold)} queries: index and searcher opened for each "
                                              f"(the same with the kept searcher: p50 {percentile(same, 0.5):.1f}, "
                                              f"p95 {percentile(same, 0.95):.1f} ms)"))
        fresh().close()
        backend.close()
        finish(report)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def run_postgres(corpus: Corpus, documents: list[ThreadDocument], args: argparse.Namespace) -> Report:
    report = Report("postgres", len(corpus.threads), corpus.posts)
    print("\n== PostgreSQL ==", flush=True)
    try:
        from app.search.postgres_backend import PostgresBackend
    except ImportError as error:
        report.add("skipped", "skipped", f"app.search.postgres_backend does not import ({error})")
        return report
    from app.db import make_engine

    name = f"peerdesk_bench_{uuid.uuid4().hex[:8]}"
    server = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - no server is a reason to skip, said in the report
        report.add("skipped", "skipped", f"no PostgreSQL server at {PG_SERVER} ({error.__class__.__name__})")
        return report
    database_url = f"{PG_SERVER}/{name}"
    try:
        prepare_database(database_url, corpus)
        engine = make_engine(database_url)
        backend = PostgresBackend(engine)
        measure_rebuild(report, backend, documents)
        analyze(database_url)
        measure_direct_saves(report, backend, corpus, args.saves, args.save_rate)
        if not args.skip_app_path:
            measure_app_saves(report, corpus, database_url, {"SEARCH_BACKEND": "postgres"}, args.saves, args.save_rate)
        queries = make_queries(corpus, args.queries + args.warmup)
        measure_queries(report, backend, queries, args.warmup, args.profile)
        finish(report)
        engine.dispose()
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
    return report


def analyze(database_url: str) -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would give them shortly."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def finish(report: Report) -> None:
    report.add("rss", "peak RSS of the process", f"{peak_rss_mb():.0f} MB, corpus included (now: {memory_now()}; "
                                                 f"peak after each step, MB: {', '.join(report.peaks)})")
    report.add("load", "load average 1/5/15 min, at the end", f"{load_average()} (2 cores are 2.0)")


RUNNERS = {"whoosh": run_whoosh, "postgres": run_postgres}


def _child(name: str, corpus: Corpus, documents: list[ThreadDocument], args: argparse.Namespace,
           results) -> None:  # noqa: ANN001
    try:
        results.put(RUNNERS[name](corpus, documents, args))
    except BaseException:
        traceback.print_exc()
        results.put(None)


MEASURED_CODE = ("app/search/whoosh_backend.py", "app/search/postgres_backend.py", "app/search/analysis.py")


def _sha1(path: str) -> str:
    """Which version of a file was measured (the backends change; the README names the versions)."""
    file = PROJECT_ROOT / path
    return hashlib.sha1(file.read_bytes()).hexdigest()[:10] if file.exists() else "missing"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--backend", choices=("whoosh", "postgres", "both"), default="both")
    parser.add_argument("--queries", type=int, default=500, help="measured queries (default 500)")
    parser.add_argument("--warmup", type=int, default=20, help="queries run first, not measured")
    parser.add_argument("--cold-queries", type=int, default=100, help="Whoosh: queries with a new searcher each")
    parser.add_argument("--saves", type=int, default=60)
    parser.add_argument("--save-rate", type=float, default=2.0, help="saves a second")
    parser.add_argument("--skip-app-path", action="store_true", help="measure save→findable on the backend only")
    parser.add_argument("--profile", action="store_true", help="cProfile the warm queries")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    print(f"Python {platform.python_version()}, {multiprocessing.cpu_count()} CPUs, load average {load_average()}, "
          f"{args.posts:,} posts", flush=True)
    print("measured code: " + ", ".join(f"{path} sha1 {_sha1(path)}" for path in MEASURED_CODE), flush=True)
    started = time.perf_counter()
    corpus = build_corpus(args.posts)
    documents = [t.document() for t in corpus.threads]
    words = sum(len(d.text.split()) + len(d.title.split()) for d in documents)
    print(f"corpus: {len(corpus.threads):,} threads, {corpus.posts:,} posts, {words:,} words, "
          f"{sum(d.solved for d in documents):,} solved, {sum(d.official for d in documents):,} official "
          f"(built in {time.perf_counter() - started:.0f} s; peak RSS {peak_rss_mb():.0f} MB)", flush=True)

    names = ["whoosh", "postgres"] if args.backend == "both" else [args.backend]
    reports = []
    for name in names:
        # Each backend in its own process (forked, sharing the corpus): its indexer thread stops
        # with it, and its peak RSS is its own.
        results = multiprocessing.get_context("fork").Queue()
        child = multiprocessing.get_context("fork").Process(target=_child, args=(name, corpus, documents, args, results))
        child.start()
        report = _wait_for(child, results)
        child.join()
        if report is None:
            raise SystemExit(f"The {name} benchmark failed (see the traceback above).")
        reports.append(report)
    print_summary(reports)


def _wait_for(child: multiprocessing.process.BaseProcess, results) -> Report | None:  # noqa: ANN001
    """The child's report, or None when it failed or died without one."""
    while True:
        try:
            return results.get(timeout=5)
        except queue.Empty:
            if not child.is_alive():
                return None


def print_summary(reports: list[Report]) -> None:
    print("\n== Summary ==")
    for report in reports:
        print(f"{report.backend} ({report.threads:,} threads, {report.posts:,} posts)")
        for label, value in report.lines:
            print(f"  {label:<40} {value}")


if __name__ == "__main__":
    main()
