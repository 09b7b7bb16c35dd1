"""present.html: the whole story one beat at a time, for teaching live with a clicker.

Each beat is its own short clip under ``beats/`` (cut from the stage's clip without
encoding its pictures again), so a beat plays and stops on its own last frame, which is
the clip's frame at that time. Two video elements take turns: the next beat loads behind
the one on screen and is shown once its first frame is ready, so nothing flashes black.
A beat whose file is missing, cut short or never arrives is named in a small notice (the
beat before it is not left on screen as if it were this one) and the keys go on.
A second window (S) is the speaker view; the two follow each other through a
BroadcastChannel and through direct messages between the windows (a page opened as a
file may not share a channel). Everything is in the page: no network, no CDN.
"""

from __future__ import annotations

import json
from html import escape

from reluviz.scenes.framework.style import THEMES
from reluviz.studio.publishing.palette import css_palette
from reluviz.words.kit import KitWords
from reluviz.words.numbers import roman

PRESENT_PAGE = "present.html"

#: The picture never has a caption over it: it is scaled down just enough to leave a band
#: below it for two lines of caption (captions are cut into cues of two lines) and, under
#: them, the counter's small line; picture and band are centred in the window together.
#: A 16:9 window keeps about 85% of its height for the picture. --picture-ratio is set
#: from the render's size.
STYLE = """
:root { --caption-size: max(18px, min(4.2vh, 2.6vw));
        --caption-band: calc(var(--caption-size) * 2.9 + 28px);
        --picture-height: min(100vh - var(--caption-band), 100vw / var(--picture-ratio)); }
html, body { margin: 0; height: 100%; background: var(--bg); color: var(--text); overflow: hidden;
             font: 18px/1.4 system-ui, sans-serif; }
#screen { position: fixed; inset: 0; display: flex; flex-direction: column; align-items: center;
          justify-content: center; cursor: pointer; }
#stage { position: relative; flex: none; height: var(--picture-height);
         width: calc(var(--picture-height) * var(--picture-ratio)); }
#stage video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; }
#stage video.back { visibility: hidden; }
#captions { flex: none; align-self: stretch; height: var(--caption-band); box-sizing: border-box;
            padding-top: calc(var(--caption-size) * 0.2); text-align: center; pointer-events: none; }
#captions span { display: inline-block; white-space: pre-line; font-size: var(--caption-size); line-height: 1.25; }
#counter { position: fixed; right: 12px; bottom: 8px; font-size: 13px; color: rgba(236, 239, 244, 0.45);
           pointer-events: none; font-variant-numeric: tabular-nums; }
#notice { position: fixed; top: 16px; left: 50%; transform: translateX(-50%); max-width: 90%;
          padding: 0.3em 0.8em; border-left: 0.3em solid #f0a020; border-radius: 4px; background: #1d2128;
          color: #ffffff; font-size: clamp(18px, 1.6vw, 30px); pointer-events: none; }
body.speaker #notice { position: static; transform: none; width: fit-content; margin: 20px 20px 0; }
#black { position: fixed; inset: 0; background: #000; display: none; }
body.black #black { display: block; }
body.captions-off #captions span { display: none; }  /* the band stays: the picture does not jump */
#help { position: fixed; left: 12px; bottom: 8px; font-size: 13px; color: rgba(236, 239, 244, 0.45); }
body.speaker { overflow: auto; background: var(--bg); }
#speaker { display: none; padding: 20px; gap: 20px; grid-template-columns: 3fr 2fr; }
body.speaker #speaker { display: grid; }
body.speaker #screen, body.speaker #counter, body.speaker #help { display: none; }
#speaker h1 { margin: 0 0 4px; font-size: 26px; }
#speaker .label { color: var(--muted); font-size: 14px; text-transform: uppercase; letter-spacing: 0.05em; }
#speaker .now { font-size: 30px; margin: 6px 0 18px; }
#speaker .next { font-size: 20px; color: #c8ced8; }
#speaker video { width: 100%; background: #000; border-radius: 6px; }
#speaker .clock { font-size: 40px; font-variant-numeric: tabular-nums; }
"""

SCRIPT = r"""
(function () {
  'use strict';
  const STEPS = JSON.parse(document.getElementById('steps').textContent);
  // the words the page says itself (the kit's words, reluviz/words/kit.py): key -> template
  const WORDS = JSON.parse(document.getElementById('words').textContent);
  function say(key, values) {
    // {name} is a value, {{ and }} a brace, as in the words file
    return WORDS[key].replace(/\{\{|\}\}|\{(\w+)\}/g, function (found, name) {
      return name ? values[name] : found[0];
    });
  }
  const speakerMode = location.hash === '#speaker';
  const videos = [document.getElementById('a'), document.getElementById('b')];
  const captionBox = document.querySelector('#captions span');
  const counter = document.getElementById('counter');
  const notice = document.getElementById('notice');
  // broken: the file of the beat that cannot be played, or null
  const state = { index: 0, playing: false, started: false, muted: false, captions: true, black: false, broken: null };
  // current: the video that holds (or is loading) the beat asked for; front: the one on screen
  let front = 0, current = videos[0], typed = '', startedAt = Date.now(), speaker = null, loading = 0;
  // A file that stops arriving or playing without an error (a stuck read, a server that never
  // answers) counts as broken after this long: a beat is a small local file, a healthy one never waits so long.
  const STALL_MS = 4000;
  let lastProgress = performance.now();
  const channel = 'BroadcastChannel' in window ? new BroadcastChannel('reluviz-present') : null;
  const me = Math.random().toString(36).slice(2);

  let sent = 0;
  const seen = new Set();

  function send(message) {
    // the same message may arrive twice (the channel and a direct message): its id lets the other side drop one
    message.from = me;
    message.id = me + ':' + (++sent);
    if (channel) channel.postMessage(message);
    for (const other of [window.opener, speaker]) {
      if (other && !other.closed) { try { other.postMessage(message, '*'); } catch (e) { /* closed meanwhile */ } }
    }
  }

  function indexOf(key) {
    const found = STEPS.findIndex(function (s) { return s.key === key; });
    return found < 0 ? 0 : found;
  }

  function broadcast() {
    history.replaceState(null, '', speakerMode ? '#speaker' : '#' + STEPS[state.index].key);
    send({ kind: 'state', index: state.index, playing: state.playing, broken: state.broken, startedAt: startedAt });
    render();
  }

  function render() {
    const step = STEPS[state.index];
    counter.textContent = step.where + '  ' + (state.index + 1) + '/' + STEPS.length;
    document.body.classList.toggle('black', state.black);
    document.body.classList.toggle('captions-off', !state.captions);
    notice.hidden = !state.broken;
    notice.textContent = state.broken ? say('present_missing', { file: state.broken }) : '';
    if (speakerMode) renderSpeaker();
  }

  function toFront(video) {
    if (video === videos[front]) return;
    videos[front].pause();
    videos[front].classList.add('back');
    video.classList.remove('back');
    front = videos.indexOf(video);
  }

  function show(index, play) {
    state.index = Math.max(0, Math.min(STEPS.length - 1, index));
    state.playing = play;
    state.started = play;
    state.broken = null;
    const step = STEPS[state.index];
    const back = videos[1 - front];
    const ticket = ++loading;
    current = back;
    lastProgress = performance.now();
    back.muted = state.muted || speakerMode;
    back.src = step.file;
    back.addEventListener('loadeddata', function ready() {
      back.removeEventListener('loadeddata', ready);
      if (ticket !== loading) return;  // another beat was asked for meanwhile, or this one was given up
      const swap = function () { toFront(back); };
      if (play) {
        back.play().then(swap, function () { state.playing = false; state.started = false; swap(); render(); });
      } else {
        swap();
      }
    });
    back.load();
    broadcast();
  }

  function giveUp() {
    // the beat before is taken off the screen (it is not this beat); this one shows what it could, if anything
    if (state.broken) return;
    ++loading;
    current.pause();
    toFront(current);
    state.playing = false;
    state.started = true;  // Right goes on to the next beat, R tries this one again
    state.broken = STEPS[state.index].file;
    broadcast();
  }

  function checkProgress() {
    const expecting = current.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || (!current.paused && !current.ended);
    // a hidden page may have its loading deferred by the browser: that is no sign of a broken file
    if (!expecting || state.broken || document.hidden) lastProgress = performance.now();
    else if (performance.now() - lastProgress > STALL_MS) giveUp();
  }

  function next() {
    if (!state.started) { show(state.index, true); return; }
    if (state.index < STEPS.length - 1) show(state.index + 1, true);
  }

  function act(key) {
    document.getElementById('help').style.display = 'none';  // once the lecturer has started
    if (/^[0-9]$/.test(key)) { typed += key; return; }
    if (key === 'Enter' && typed) {
      const stage = parseInt(typed, 10);
      typed = '';
      const found = STEPS.findIndex(function (s) { return s.stage === stage; });
      if (found >= 0) show(found, true);
      else { counter.textContent = say('present_no_stage', { stage: stage }); setTimeout(render, 2000); }
      return;
    }
    typed = '';
    switch (key) {
      case 'ArrowRight': case ' ': case 'PageDown': case 'click': next(); break;
      case 'ArrowLeft': case 'PageUp': show(state.index - 1, true); break;
      case 'r': case 'R': show(state.index, true); break;
      case 'Home': show(0, true); break;
      case 'End': show(STEPS.length - 1, true); break;
      case 'b': case 'B': state.black = !state.black; broadcast(); break;
      case 'c': case 'C': state.captions = !state.captions; render(); break;
      case 'm': case 'M':
        state.muted = !state.muted;
        videos.forEach(function (v) { v.muted = state.muted || speakerMode; });
        render();
        break;
      case 'f': case 'F':
        if (document.fullscreenElement) document.exitFullscreen();
        else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
        break;
      case 's': case 'S': openSpeaker(); break;
    }
  }

  function openSpeaker() {
    if (speakerMode) return;
    speaker = window.open(location.href.split('#')[0] + '#speaker', 'reluviz-speaker', 'width=1100,height=720');
    setTimeout(broadcast, 500);
  }

  function onMessage(message) {
    if (!message || message.from === me || seen.has(message.id)) return;
    seen.add(message.id);
    if (speakerMode && message.kind === 'state') {
      startedAt = message.startedAt;
      state.broken = message.broken;
      const changed = message.index !== state.index || (message.playing && !state.playing);
      state.index = message.index;
      state.playing = message.playing;
      if (changed) mirror(message.playing);
      render();
    } else if (!speakerMode && message.kind === 'key') {
      act(message.key);
    } else if (!speakerMode && message.kind === 'hello') {
      broadcast();
    }
  }

  function mirror(play) {
    const step = STEPS[state.index];
    const frame = document.getElementById('frame');
    frame.src = step.file;
    frame.muted = true;
    if (play) frame.play().catch(function () {});
  }

  function renderSpeaker() {
    const step = STEPS[state.index], after = STEPS[state.index + 1];
    document.getElementById('where').textContent = step.title + ' (' + step.where + ')';
    document.getElementById('now').textContent = step.caption;  // as written: "ReLU", "-0.85"
    document.getElementById('next').textContent = after ? after.caption : say('present_the_end', {});
    document.getElementById('next-where').textContent = after ? after.where : '';
  }

  function tick() {
    const video = videos[front];
    const step = STEPS[state.index];
    const t = video.currentTime;
    const cue = step.cues.find(function (c) { return t >= c.start - 0.02 && t < c.end; });
    const text = cue ? cue.text : '';
    if (captionBox.textContent !== text) captionBox.textContent = text;
    captionBox.style.visibility = text ? 'visible' : 'hidden';
    if (speakerMode) {
      const seconds = Math.floor((Date.now() - startedAt) / 1000);
      document.getElementById('clock').textContent =
        Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
    }
    requestAnimationFrame(tick);
  }

  videos.forEach(function (video) {
    video.addEventListener('ended', function () {
      if (video === videos[front]) { state.playing = false; broadcast(); }
    });
    // a missing file fails at once; one cut short fails when its data runs out, often mid-play
    video.addEventListener('error', function () { if (video === current) giveUp(); });
    ['loadstart', 'progress', 'loadedmetadata', 'loadeddata', 'timeupdate'].forEach(function (sign) {
      video.addEventListener(sign, function () { if (video === current) lastProgress = performance.now(); });
    });
  });
  window.addEventListener('hashchange', function () {  // a link to another beat, followed in the same window
    if (!speakerMode) show(indexOf(location.hash.slice(1)), false);
  });
  if (channel) channel.onmessage = function (event) { onMessage(event.data); };
  window.addEventListener('message', function (event) { onMessage(event.data); });
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const key = event.key;
    const handled = /^[0-9]$/.test(key) || ['ArrowRight', 'ArrowLeft', ' ', 'PageDown', 'PageUp', 'Home', 'End',
      'Enter', 'r', 'R', 'b', 'B', 'c', 'C', 'm', 'M', 'f', 'F', 's', 'S'].indexOf(key) >= 0;
    if (!handled) return;
    event.preventDefault();
    if (speakerMode && 'sS'.indexOf(key) < 0) send({ kind: 'key', key: key });
    else act(key);
  });
  document.getElementById('screen').addEventListener('click', function () { act('click'); });

  window.reluviz = {
    steps: STEPS,
    state: function () {
      const video = videos[front];
      const shown = video.getAttribute('src') === STEPS[state.index].file;  // not the beat before, still on screen
      return Object.assign({}, state, { key: STEPS[state.index].key, file: video.getAttribute('src'),
        shown: shown, time: video.currentTime, ended: shown && video.ended, paused: video.paused });
    },
  };
  if (speakerMode) {
    document.body.classList.add('speaker');
    render();
    send({ kind: 'hello' });
  } else {
    show(indexOf(location.hash.slice(1)), false);
    setInterval(checkProgress, 500);
  }
  requestAnimationFrame(tick);
})();
"""


#: The words present.html's script says itself (in the page as JSON, filled there).
SCRIPT_WORDS = ("present_missing", "present_no_stage", "present_the_end")


def _where(stage: int | None, part: int, beat: int, count: int, kit: KitWords) -> str:
    place = kit("where_stage", stage=stage) if stage is not None else kit("where_part", part=roman(part))
    return f"{place} \u00b7 {kit('where_beat', beat=beat, count=count)}"


def story_steps(manifest: dict) -> list[dict]:
    """Every beat of the kit in story order (a title card before each part when the film is whole)."""
    kit = KitWords.from_dict(manifest.get("kit_words"))
    cards = {card["part"]: card for card in manifest.get("title_cards", [])}
    steps = []
    for part in sorted({clip["part"] for clip in manifest["clips"]} | set(cards)):
        units = ([(None, cards[part]["title"], cards[part]["beats"])] if part in cards else []) + [
            (clip["stage"], f"{clip['stage']}. {clip['title']}", clip["beats"])
            for clip in manifest["clips"]
            if clip["part"] == part
        ]
        for stage, title, beats in units:
            for number, beat in enumerate(beats, start=1):
                key = f"{stage}.{number}" if stage is not None else f"{'I' * part}.{number}"
                steps.append(
                    {
                        "key": key,
                        "stage": stage,
                        "title": title,
                        "where": _where(stage, part, number, len(beats), kit),
                        "file": beat["file"],
                        "duration": round(beat["end"] - beat["start"], 3),
                        "caption": beat["caption"],
                        "spoken": beat["spoken"],
                        "cues": beat["cues"],
                    }
                )
    return steps


def build_presentation(manifest: dict) -> str:
    steps = json.dumps(story_steps(manifest)).replace("</", "<\\/")
    kit = KitWords.from_dict(manifest.get("kit_words"))
    words = json.dumps({key: kit.template(key) for key in SCRIPT_WORDS}).replace("</", "<\\/")
    render = manifest["render"]
    theme = THEMES[render["theme"]]
    quiet = (
        "rgba(27, 31, 36, 0.55)" if theme.name == "light" else "rgba(236, 239, 244, 0.45)"
    )  # readable, not in the way
    return (
        f'<!doctype html>\n<html lang="{kit.language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{kit.html('present_title', title=escape(manifest['title']))}</title>"
        # the band and the bars beside the picture are the picture's own background: one canvas
        f"<style>{css_palette(theme)}{STYLE}:root {{ --picture-ratio: {render['width'] / render['height']:.6f}; }}"
        "#stage video, #captions { background: var(--bg); } #captions { color: var(--text); }"
        f"#counter, #help {{ color: {quiet}; }}</style></head>\n<body>"
        '<div id="screen"><div id="stage"><video id="a" playsinline preload="auto"></video>'
        '<video id="b" class="back" playsinline preload="auto"></video></div>'
        '<div id="captions"><span></span></div></div><div id="counter"></div>'
        f'<div id="help">{kit.html("present_keys")}</div><div id="notice" role="alert" hidden></div>'
        '<div id="black"></div>'
        f'<div id="speaker"><div><div class="label">{kit.html("present_on_screen")}</div>'
        '<video id="frame" playsinline></video></div>'
        f'<div><h1 id="where"></h1><div class="label">{kit.html("present_say_now")}</div>'
        '<div class="now" id="now"></div>'
        f'<div class="label">{kit.html("present_next")} <span id="next-where"></span></div>'
        '<div class="next" id="next"></div>'
        f'<div class="label" style="margin-top:24px">{kit.html("present_elapsed")}</div>'
        '<div class="clock" id="clock">0:00</div></div></div>'
        f'<script type="application/json" id="steps">{steps}</script>'
        f'<script type="application/json" id="words">{words}</script>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )
