"""The `kb` MkDocs plugin's settings: validated by MkDocs, overridden by the environment, never passed through it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_kb
from kb.adapters.mkdocs_config import build_settings
from kb.adapters.mkdocs_plugin import KnowledgeBasePlugin, plugin_of
from kb.output.settings import BuildSettings, with_environment
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

PLUGIN_ENTRY = "  - kb:\n      search: true\n      previews: true\n"


def project_config(tmp_path: Path, kb_options: str) -> Path:
    """The repository's mkdocs.yml with the `kb` entry replaced by `kb_options` (empty: no kb plugin)."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert PLUGIN_ENTRY in text, "mkdocs.yml no longer lists the kb plugin as this test expects: update it"
    text = text.replace(PLUGIN_ENTRY, kb_options).replace("docs_dir: docs", f"docs_dir: {REPO / 'docs'}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def loaded(config: Path) -> MkDocsConfig:
    return load_config(str(config))


def test_the_plugin_is_found_through_its_entry_point(tmp_path: Path) -> None:
    config = loaded(project_config(tmp_path, "  - kb:\n      search: false\n      previews: false\n"))
    plugin = plugin_of(config)
    assert isinstance(plugin, KnowledgeBasePlugin)
    assert (plugin.config.search, plugin.config.previews, plugin.config.kb_dir) == (False, False, None)


@pytest.mark.parametrize(("options", "message"), [
    ("  - kb:\n      search: perhaps\n", "Expected type: <class 'bool'> but received: <class 'str'>"),
    ("  - kb:\n      previews: 3\n", "Expected type: <class 'bool'> but received: <class 'int'>"),
    ("  - kb:\n      kb_dir: no-such-folder\n", "The path '{tmp}/no-such-folder' isn't an existing directory."),
])
def test_a_wrong_option_is_a_configuration_error_naming_it(tmp_path: Path, options: str, message: str,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort):
        loaded(project_config(tmp_path, options))
    option = options.split("\n")[1].split(":")[0].strip()
    assert f"Plugin 'kb' option '{option}': {message.format(tmp=tmp_path)}" in caplog.text


def test_an_unknown_option_stops_the_strict_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort, match="configuration warnings in 'strict' mode"):
        loaded(project_config(tmp_path, "  - kb:\n      serach: false\n"))
    assert "Plugin 'kb' option 'serach': Unrecognised configuration name: serach" in caplog.text


def test_kb_dir_is_relative_to_mkdocs_yml_and_defaults_to_its_folder(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    config = loaded(project_config(tmp_path, "  - kb:\n      kb_dir: records\n"))
    settings, errors = build_settings(plugin_of(config).config, config.config_file_path, environ={})
    assert (settings.kb_dir, errors) == (tmp_path / "records", [])
    config = loaded(project_config(tmp_path, "  - kb\n"))
    settings, errors = build_settings(plugin_of(config).config, config.config_file_path, environ={})
    assert (settings, errors) == (BuildSettings(tmp_path, search=True, previews=True), [])


def test_the_environment_overrides_each_setting_it_sets() -> None:
    given = BuildSettings(Path("/kb"), search=True, previews=True)
    assert with_environment(given, {}) == (given, [])
    assert with_environment(given, {"KB_SEARCH": "false", "KB_OG_IMAGES": "off", "KB_DIR": "/other"}) == (
        BuildSettings(Path("/other"), search=False, previews=False), [])
    assert with_environment(BuildSettings(Path("/kb"), search=False), {"KB_SEARCH": "yes"})[0].search is True


def test_an_unusable_environment_value_is_named_with_what_was_expected() -> None:
    settings, errors = with_environment(BuildSettings(Path("/kb")), {"KB_SEARCH": "perhaps", "KB_OG_IMAGES": "of"})
    assert settings == BuildSettings(Path("/kb"))
    assert errors == [
        ("environment variable KB_SEARCH='perhaps': expected one of on, 1, true, yes or off, 0, false, no; "
        "found 'perhaps'"),
        "environment variable KB_OG_IMAGES='of': expected one of on, 1, true, yes or off, 0, false, no; found 'of'",
    ]


def test_the_plugin_stops_on_an_unusable_environment_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = loaded(project_config(tmp_path, PLUGIN_ENTRY))
    monkeypatch.setenv("KB_SEARCH", "perhaps")
    with pytest.raises(PluginError, match=r"^environment variable KB_SEARCH='perhaps': expected .*; nothing was built$"):
        plugin_of(config).on_config(config)


def test_kb_build_without_the_plugin_says_so(tmp_path: Path) -> None:
    config = project_config(tmp_path, "")
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(tmp_path / "site"),
                    "--config", str(config))
    assert result.returncode == 1, result.stderr
    assert f"{config}: plugins: expected the knowledge-base plugin ('- kb'); found none" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_kb_build_hands_its_folder_to_the_plugin_not_the_environment(tmp_path: Path) -> None:
    """`kb build --kb` wins over a KB_DIR left in the environment, and sets none for the plugin."""
    site = tmp_path / "site"
    result = run_kb("build", "--kb", str(FIXTURES / "small"), "--site-dir", str(site),
                    env={"KB_DIR": str(tmp_path / "elsewhere"), "KB_OG_IMAGES": "off"})
    assert result.returncode == 0, result.stderr
    assert (site / "claims.json").is_file()
