"""config.toml checked as a schema: every key's kind, range and allowed values, finite numbers
only; each error names the file, the table, the key and what is allowed."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config

CASES = [
    ('[retrieval]\nk = "three"', "[retrieval] k must be a whole number, got 'three'"),
    ("[retrieval]\ncandidates = 50.5", "[retrieval] candidates must be a whole number, got 50.5"),
    ("[retrieval]\nrrf_k = -1", "[retrieval] rrf_k must be at least 1"),
    ("[retrieval]\nprepare_processes = -1", "prepare_processes must be between 0 and 64, got -1"),
    ("[retrieval]\nprepare_processes = 1.5", "[retrieval] prepare_processes must be a whole number, got 1.5"),
    ("[retrieval]\nmin_dense = nan", "[retrieval] min_dense must be between 0 and 1, got nan"),
    ("[retrieval]\ndense_weight = inf", "[retrieval] dense_weight must be between 0 and 1"),
    ("data_dir = 5", "data_dir must be a folder name in quotes, got 5"),
    ("[fetch]\nread_timeout = nan", "[fetch] read_timeout must be a positive number, got nan"),
    ("[fetch]\nrecheck_hours = -1", "[fetch] recheck_hours must be 0 or more, got -1"),
    ("[fetch]\nrechecks_per_pass = 2.5", "[fetch] rechecks_per_pass must be a whole number, got 2.5"),
    ('include_demo = "false"', "include_demo must be true or false"),
    ('log_level = "LOUD"', "log_level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'LOUD'"),
    ('[storage.sqlite]\nnprobe = "many"', "[storage.sqlite] nprobe must be a whole number, got 'many'"),
    ("[storage.sqlite]\nbulk_compact_share = 0.01", "bulk_compact_share must be a number from 0.02 to 1, got 0.01"),
    ("[storage.postgres]\nlock_wait_seconds = nan", "[storage.postgres] lock_wait_seconds must be a finite number, got nan"),
    ("[bot]\nworkers = 2.5", "[bot] workers must be a whole number of at least 1, got 2.5"),
    ("[bot]\nlog_questions = 1", "[bot] log_questions must be true or false, got 1"),
    ("[fetch]\nallow_private_hosts = [1]", "[fetch] allow_private_hosts must be a list of host names"),
    ('[[sources]]\nfeed = "https://a.example/rss"\nevery_minutes = "often"', "every_minutes must be at least 1"),
    ('[[sources]]\nchannel = "has space"', "channel must be a public channel's name"),
    ('[embedder]\npassage = "headline"', "unknown embedder passage 'headline'; choose one of: auto, title, sentence"),
    ('[embedder]\ndevice = "gpu"', "unknown embedder device 'gpu'; choose auto, cpu, cuda, cuda:N or mps"),
    ('[embedder]\nmodel = " "', "embedder model is empty"),
    ("[embedder]\nmodel = 5", "[embedder] model must be text in quotes, got 5"),  # was an AttributeError
    ('data_dir = ""', "data_dir must name a folder, got an empty name"),  # was the config file's own folder
    ('[bot]\napi_base_url = "api.telegram.org/bot"', "[bot] api_base_url must be an http(s) address"),
    ('[bot]\napi_base_url = ""', "[bot] api_base_url must be an http(s) address"),  # was six tries over a minute
    ("[fetch]\nmin_host_delay_seconds = 1e12", "[fetch] min_host_delay_seconds must be at most 86400 seconds"),
    ("[fetch]\nconnect_timeout = 1e10", "[fetch] connect_timeout must be at most 86400 seconds"),  # an OverflowError
]


@pytest.mark.parametrize("text, message", CASES, ids=[c[1][:40] for c in CASES])
def test_a_wrong_value_names_the_file_the_table_the_key_and_what_is_allowed(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(str(path), env={})
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value), str(caught.value)
    assert str(caught.value).count(str(path)) == 1


def test_the_keys_written_before_backend_tables_still_work_with_a_warning(tmp_path, caplog):
    path = tmp_path / "config.toml"
    path.write_text('[storage]\nbackend = "sqlite"\nnprobe = 12\nschema = "other"\n', encoding="utf-8")
    config = load_config(str(path), env={})
    assert config.storage.sqlite.nprobe == 12 and config.storage.postgres.schema == "other"
    assert "belongs in [storage.sqlite]" in caplog.text


def test_the_shipped_config_is_valid():
    config = load_config(None, env={})
    assert config.storage.backend == "sqlite" and config.retrieval.k >= 1


@pytest.mark.parametrize(
    ("secret", "said"),
    [("hunter2", "is 7 characters; use at least 16"), ("replace-with-a-long-random-string", "placeholder")],
)
def test_a_bot_secret_that_can_be_guessed_is_refused_at_start(secret, said):
    """The secret keys the buttons and the log's hashes of Telegram ids: a short one, or the one
    printed in deploy/env.example, lets anyone forge a button or undo a hash."""
    with pytest.raises(ConfigError, match=f"PASOKH_BOT_SECRET .*{said}"):
        load_config(None, env={"PASOKH_BOT_SECRET": secret})
    assert load_config(None, env={"PASOKH_BOT_SECRET": "a" * 16}).bot_secret == "a" * 16
