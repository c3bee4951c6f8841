"""`pasokh eval` on both formats, on small fixtures; metrics and splits as pure functions."""

from __future__ import annotations

import json
import math

import pytest

from evaluation.datasets import DatasetError, load_dataset, split
from evaluation.metrics import Outcome, answer_at, hit_at, mrr, summary
from tests.app.test_cli import run
from tests.conftest import DEMO

SQUAD = {
    "version": "test",
    "data": [
        {
            "title": "کتابخانه ملی",
            "paragraphs": [
                {
                    "context": "کتابخانه ملی ایران در سال ۱۳۱۶ در تهران گشایش یافت. این کتابخانه بیش از دو میلیون جلد کتاب دارد.",
                    "qas": [
                        {
                            "id": "1",
                            "question": "کتابخانه ملی ایران در چه سالی گشایش یافت؟",
                            "answers": [{"text": "۱۳۱۶", "answer_start": 28}],
                            "is_impossible": False,
                        },
                        {
                            "id": "2",
                            "question": "کتابخانه ملی ایران چند جلد کتاب دارد؟",
                            "answers": [{"text": "بیش از دو میلیون جلد", "answer_start": 60}],
                            "is_impossible": False,
                        },
                        {"id": "3", "question": "رئیس کتابخانه ملی ایران کیست؟", "answers": [], "is_impossible": True},
                    ],
                },
            ],
        },
        {
            "title": "رود کارون",
            "paragraphs": [
                {
                    "context": "کارون پرآب‌ترین رود ایران است و از کوه‌های زاگرس سرچشمه می‌گیرد. این رود از شهر اهواز می‌گذرد.",
                    "qas": [
                        {
                            "id": "4",
                            "question": "پرآب‌ترین رود ایران کدام است؟",
                            "answers": [{"text": "کارون", "answer_start": 0}],
                            "is_impossible": False,
                        },
                        {
                            "id": "5",
                            "question": "رود کارون از کدام شهر می‌گذرد؟",
                            "answers": [{"text": "اهواز", "answer_start": 80}],
                            "is_impossible": False,
                        },
                    ],
                },
            ],
        },
    ],
}


@pytest.fixture
def squad_file(tmp_path):
    path = tmp_path / "tiny_squad.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    return path


def test_squad_eval_builds_its_own_corpus_reuses_it_and_reports_every_mode(tmp_path, squad_file):
    data_dir = tmp_path / "data"
    first = run("eval", str(squad_file), "--mode", "all", "--json", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    reports = json.loads(first.stdout)
    assert [r["mode"] for r in reports] == ["lexical", "dense", "hybrid"]
    hybrid = reports[2]["metrics"]
    assert reports[2]["corpus"]["articles"] == 2
    assert hybrid["questions"] == 5 and hybrid["article_hit@1"] == 1.0
    assert hybrid["answer_in_quote@3"] == 1.0
    assert hybrid["abstain_off_topic"] is None  # no must-abstain questions in this set
    assert not (data_dir / "pasokh.sqlite3").exists(), "the user's corpus must not be touched"
    assert "building the evaluation corpus" in first.stderr
    second = run("eval", str(squad_file), data_dir=data_dir)
    assert second.returncode == 0 and "building the evaluation corpus" not in second.stderr
    assert "hybrid" in second.stdout and "hit@1" in second.stdout
    assert len(list((data_dir / "eval").iterdir())) == 1


def test_jsonl_eval_runs_on_the_users_corpus(tmp_path):
    result = run("eval", "tests/data/seed_questions.jsonl", "--json", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)[0]["metrics"]
    assert metrics["article_hit@1"] == 1.0 and metrics["abstain_off_topic"] == 1.0
    assert metrics["answer_in_passage@3"] == 1.0


def test_out_of_domain_set_has_at_least_30_questions_and_all_must_abstain():
    items = load_dataset(__import__("pathlib").Path("bench/eval/out_of_domain.jsonl")).items
    assert len(items) >= 30 and all(i.article is None and not i.answers for i in items)


def test_bad_dataset_files_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "؟"}\n{oops\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"bad\.jsonl:2"):
        load_dataset(bad)
    for name, deep in [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep.jsonl", '{"question": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    ]:
        (tmp_path / name).write_text(deep, encoding="utf-8")
        with pytest.raises(DatasetError, match="nested too deeply"):
            load_dataset(tmp_path / name)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"questions": []}', encoding="utf-8")
    with pytest.raises(DatasetError, match="SQuAD"):
        load_dataset(wrong)
    latin = tmp_path / "cp1256.jsonl"
    latin.write_bytes('{"question": "كجا؟"}'.encode("cp1256"))
    with pytest.raises(DatasetError, match="not UTF-8"):
        load_dataset(latin)


def test_a_passage_is_titled_by_the_words_of_its_address_never_by_an_id_or_a_section(tmp_path):
    addresses = {
        "https://fa.wikipedia.org/wiki/%D8%AA%D8%AE%D8%AA_%D8%AC%D9%85%D8%B4%DB%8C%D8%AF": "تخت جمشید",
        "https://fa.wikipedia.org/wiki/لیگ_آزادگان_۷۷–۱۳۷۶": "لیگ آزادگان ۷۷–۱۳۷۶",
        "https://fa.wikipedia.org/wiki/آلفا-لینولنیک_اسید": "آلفا-لینولنیک اسید",
        "https://www.madarsho.com/فرایند-تولید-شیر-در-بدن-مادران/": "فرایند تولید شیر در بدن مادران",
        "https://www.etelanews.com/لحظه-تحویل-سال-1398-زمان-تحویل-سال-98": "لحظه تحویل سال 1398 زمان تحویل سال 98",
        "https://www.delgarm.com/175388-نماد-سرکه-در-سفره-هفت-سین.html": "نماد سرکه در سفره هفت سین",
        "http://danesh.roshd.ir/mavara/mavara-index.php?page=گل+یوکا&SSOReturnPage=Check&Rand=0": "گل یوکا",
        "https://www.bbc.com/persian/science-45678901": "",
        "http://blog.example.ir/post/6": "",
        "http://[::1/تخت-جمشید": "",  # not an address
        "https://example.ir/%E0%A4%A-page": "",  # escapes that are not UTF-8
        "": "",
    }
    path = tmp_path / "passages.jsonl"
    lines = [
        {"question": f"پرسش {n}؟", "passage": f"متن شماره {n} دربارهٔ موضوعی است.", "answers": [], "url": url}
        for n, url in enumerate(addresses)
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    titles = [a.title for a in load_dataset(path).articles]
    assert titles == list(addresses.values())


def test_dev_and_test_splits_are_disjoint_by_title_and_cover_everything(squad_file):
    items = load_dataset(squad_file).items
    dev, test = split(items, "dev"), split(items, "test")
    assert {i.group for i in dev}.isdisjoint({i.group for i in test})
    assert len(dev) + len(test) == len(items) and split(items, "dev") == dev


def _o(gold, articles, rank=None, abstained=False, answers=("x",)):
    return Outcome(gold, answers, not answers, abstained, tuple(articles), rank, rank, 0.01)


def test_ranking_metrics():
    outcomes = [_o("a", ["a", "b"], 1), _o("a", ["b", "a"], 2), _o("a", ["b", "c"], None), _o(None, [], None, True, ())]
    assert hit_at(outcomes, 1) == pytest.approx(1 / 3)
    assert hit_at(outcomes, 3) == pytest.approx(2 / 3)
    assert mrr(outcomes) == pytest.approx((1 + 0.5) / 3)
    assert answer_at(outcomes, 1) == pytest.approx(1 / 3)
    assert answer_at(outcomes, 3) == pytest.approx(2 / 3)
    s = summary(outcomes)
    assert s["abstain_off_topic"] == 1.0 and s["false_abstain_answerable"] == 0.0
    assert math.isnan(summary([])["mrr"])


DISTRACTORS = [
    {"question": "سد کرخه در کدام استان است؟", "passage": "سد کرخه بزرگ‌ترین سد خاکی ایران است و در استان خوزستان ساخته شده است.",
     "answers": [[40, "خوزستان"]], "url": "https://fa.wikipedia.org/wiki/سد_کرخه"},
    {"question": "کتابخانه مجلس کی ساخته شد؟",
     "passage": "کتابخانه مجلس شورای اسلامی در سال ۱۲۸۵ در تهران بنیان گذاشته شد و نسخه‌های خطی فراوانی دارد.",
     "answers": [[30, "۱۲۸۵"]], "url": "https://fa.wikipedia.org/wiki/کتابخانه_مجلس"},
]  # fmt: skip


def test_distractors_and_a_mixed_corpus_make_the_corpus_bigger_but_ask_only_the_sets_questions(tmp_path, squad_file):
    data_dir = tmp_path / "data"
    distract = tmp_path / "distract.jsonl"
    distract.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in DISTRACTORS) + "\n", encoding="utf-8")
    details, report = tmp_path / "details.jsonl", tmp_path / "report.html"
    result = run(
        "eval", str(squad_file), "--distractors", str(distract), "--mode", "all", "--json",
        "--details", str(details), "--report", str(report), data_dir=data_dir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert {r["corpus_name"] for r in reports} == {"tiny_squad+distract"}
    assert reports[2]["corpus"]["articles"] == 4 and reports[2]["metrics"]["questions"] == 5
    assert reports[2]["metrics"]["article_hit@1"] == 1.0, "the right article still wins over the distractors"

    rows = [json.loads(line) for line in details.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 15 and {r["mode"] for r in rows} == {"lexical", "dense", "hybrid"}
    impossible = next(r for r in rows if r["mode"] == "hybrid" and r["question"] == "رئیس کتابخانه ملی ایران کیست؟")
    assert impossible["verdict"] == "no-answer" and impossible["answers"] == []
    answered = [r for r in rows if r["mode"] == "hybrid" and r["answers"]]
    assert all(r["verdict"] == "right" and r["coverage"] > 0 and r["dense"] > 0 for r in answered), answered

    page = report.read_text(encoding="utf-8")
    assert page.count("<tr><td>tiny_squad</td>") == 3 and "Abstention signals" in page
    assert page.count("data:image/png;base64,") == 2, "the metrics chart and one signals chart (hybrid)"

    mixed = run("eval", str(squad_file), "tests/data/seed_questions.jsonl", "--mixed", "--distractors", str(distract),
                "--json", data_dir=data_dir)  # fmt: skip
    assert mixed.returncode == 0, mixed.stderr
    reports = json.loads(mixed.stdout)
    assert [r["corpus_name"] for r in reports] == ["tiny_squad+distract+demo"] * 2
    assert reports[0]["corpus"]["articles"] == 4 + len(list(DEMO.glob("*.txt")))
    seed = reports[1]["metrics"]
    assert seed["article_hit@1"] == 1.0 and seed["abstain_off_topic"] == 1.0, "the seed questions find the demo inside it"


def test_a_distractor_set_without_passages_is_refused_in_one_line(tmp_path, squad_file):
    result = run("eval", str(squad_file), "--distractors", "tests/data/seed_questions.jsonl", data_dir=tmp_path / "data")
    assert result.returncode == 1 and result.stderr.strip().count("\n") == 0
    assert "seed_questions: has no passages of its own" in result.stderr


def test_a_report_that_cannot_be_drawn_is_refused_in_one_line_before_the_run(tmp_path, squad_file):
    """Without matplotlib the HTML report cannot be drawn: say so at once, not after an hour of
    questions, and as one line, not a traceback."""
    blocked = tmp_path / "no-matplotlib"
    blocked.mkdir()
    (blocked / "matplotlib.py").write_text("raise ImportError('matplotlib is not installed here')\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    report = str(tmp_path / "r.html")
    result = run("eval", str(squad_file), "--report", report, data_dir=data_dir, env={"PYTHONPATH": str(blocked)})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == "pasokh: error: the HTML report needs matplotlib: pip install -e '.[report]'"
    assert not (data_dir / "eval").exists(), "nothing was built or asked"


def test_a_built_evaluation_corpus_follows_the_code_that_prepares_it(fresh_engine):
    """The corpus is cached by its input files and the prepare versions; a rule that reads a
    title otherwise changes neither. Such an article is written again on the next run (and
    embedded again, its headline being part of what is embedded), so a figure measures today's code."""
    from corpus.read import RawArticle
    from evaluation.datasets import Dataset
    from evaluation.run import build_corpus

    engine = fresh_engine()
    text = "کتابخانه ملی ایران در سال ۱۳۱۶ در تهران گشایش یافت. این کتابخانه بیش از دو میلیون جلد کتاب دارد."
    build_corpus(engine, [Dataset("set", (), (RawArticle(id="a", text=text, origin="t", title="کتابخانه"),), "same")])
    retitled = RawArticle(id="a", text=text, origin="t", title="کتابخانه ملی ایران")  # the same file, read otherwise
    build_corpus(engine, [Dataset("set", (), (retitled,), "same")])
    engine.load()
    assert engine.article("a").title == "کتابخانه ملی ایران"


class _StatingSecond:
    """For a question asking for something exact (a year), ranks first a candidate that does not
    state it and, second, one from another article that does; the rest keep their order."""

    name = "stating-second"

    def rerank(self, evidence, hits):  # type: ignore[no-untyped-def]
        from retrieval.query import answer_type
        from retrieval.records import Hit

        what = answer_type.exact(evidence.norm)
        hits = [h for h in hits if h.sentence_id in evidence.sentences]
        sent = evidence.sentences
        stating = next(h for h in hits if answer_type.states(sent[h.sentence_id].norm, what))
        lead = next(
            h for h in hits
            if sent[h.sentence_id].article_id != sent[stating.sentence_id].article_id
            and not answer_type.states(sent[h.sentence_id].norm, what)
        )  # fmt: skip
        top = hits[0].score
        rest = [h for h in hits if h not in (lead, stating)]
        return [Hit(lead.sentence_id, top + 2.0), Hit(stating.sentence_id, top + 1.0), *rest]


def test_the_article_counted_first_is_the_one_the_answer_quotes_first(demo_engine):
    """hit@1 is about what the reader is shown first: the answer's first quote, which need not
    be the ranking's first sentence. Asked for a year, the answer leads with the quote that
    states one, here from another article than the ranker's first pick."""
    from evaluation.datasets import EvalItem
    from evaluation.run import outcome
    from retrieval import Engine

    engine = Engine(demo_engine.storage, demo_engine.embedder, demo_engine.settings, [_StatingSecond()])
    question = "برنامه‌های راهبردی بهزیستی مربوط به چه سالی است؟"
    answer, ranked = engine.respond(question, k=5)
    lead = answer.quotes[0]
    assert ranked.sentences[ranked.hits[0].sentence_id].article_id != lead.article_id  # the case
    judged = outcome(engine, EvalItem(question, lead.article_id, (lead.text,)), "hybrid")
    assert judged.articles[0] == lead.article_id and hit_at([judged], 1) == 1.0
    assert judged.answer_rank == 1


def test_questions_of_our_own_must_be_about_the_half_named_and_answered_by_their_paragraph(tmp_path):
    """A set written over a SQuAD dataset's paragraphs takes their groups, so split() places each
    question with its paragraph; one about the other half, or whose paragraph lacks its answer,
    is refused by name (a training set must not reach the half it is measured on)."""
    from evaluation.datasets import about_part

    squad = {"data": [
        {"title": f"page {n}", "paragraphs": [{"context": f"شهر شماره {n} پایتخت است.", "qas": [
            {"question": f"شهر {n} چیست؟", "id": str(n), "answers": [{"text": "پایتخت", "answer_start": 0}]}]}]}
        for n in range(4)
    ]}  # fmt: skip
    (tmp_path / "squad.json").write_text(json.dumps(squad, ensure_ascii=False), encoding="utf-8")
    dataset = load_dataset(tmp_path / "squad.json")
    dev, test = ({i.article for i in split(dataset.items, part)} for part in ("dev", "test"))
    inside, outside = sorted(dev)[0], sorted(test)[0]

    def ours(*rows):
        path = tmp_path / "ours.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return load_dataset(path).items

    kept = about_part(ours({"question": "پایتخت کجاست؟", "article": inside, "answers": ["پایتخت"]}), dataset, "dev")
    assert [i.group for i in kept] == [next(i.group for i in dataset.items if i.article == inside)]
    assert split([*dataset.items, *kept], "dev")[-1] == kept[0], "placed in the half of its paragraph"
    with pytest.raises(DatasetError, match="کجای دیگر"):
        about_part(ours({"question": "کجای دیگر؟", "article": outside, "answers": ["پایتخت"]}), dataset, "dev")
    with pytest.raises(DatasetError, match="چه رنگی"):
        about_part(ours({"question": "چه رنگی؟", "article": inside, "answers": ["سبز"]}), dataset, "dev")
