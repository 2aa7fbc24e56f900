"""A post records the language it was written in, and search stems it in that language."""
from __future__ import annotations

from sqlalchemy import select

from app.models import Post
from app.search import documents
from app.search.analysis import Stemmer
from app.services import posting


def test_a_german_question_is_indexed_and_stemmed_as_german(session, board, member):
    thread = posting.ask(session, member, board_id=board.id, title="Drucker zeigt offline nach Update",
                         body="Meine Drucker drucken seit gestern nichts mehr.", language="de")
    document = documents.load(session, [thread.id])[thread.id]
    assert document.language == "de"
    german, english = Stemmer(document.language), Stemmer("en")
    # German stemming joins the plural to the singular; English rules leave "drucken" apart from "druck".
    assert german("druckern") == german("drucker") == "druck"
    assert german("drucken") == german("druck") != english("drucken")


def test_the_language_defaults_to_english_and_answers_keep_their_own(session, board, member, helper):
    thread = posting.ask(session, member, board_id=board.id, title="Printer offline after the update",
                         body="It worked yesterday; now it is offline.")
    answer = posting.answer(session, helper, thread_id=thread.id, body="Essayez de redémarrer le routeur.",
                            language="fr")
    question = session.scalars(select(Post).where(Post.thread_id == thread.id, Post.kind == "question")).one()
    assert question.language == "en" and answer.language == "fr"
