"""Runs pyttsx3 in its own process: it is not thread-safe and can hang, so the parent isolates it.

Reads a JSON request on stdin and writes a JSON reply on stdout. pyttsx3 prints to stdout itself,
so the reply goes through a duplicate of the original stdout taken before it is redirected.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

# pyttsx3's espeak driver now and then writes only a WAV header (seen once in a test run with both
# cores busy); the same job rendered again is whole.
RENDER_TRIES = 3


def pick_voice(voices: list[Any], language: str, gender: str, variant: str) -> str:
    """An espeak-ng voice id for the language, with a gendered variant (``gmw/en-us+f3``)."""
    language = language.lower()

    def score(voice: Any) -> int:
        short = voice.id.split("/")[-1].lower()
        langs = [str(lang).lower() for lang in (voice.languages or [])]
        if short == language or language in langs:
            return 3
        if short.split("-")[0] == language.split("-")[0]:
            return 2 if short == language.split("-")[0] else 1
        return 0

    best = max(voices, key=score, default=None)
    if best is None or score(best) == 0:
        raise LookupError(f"no voice for language {language!r}")
    chosen = variant or ("f3" if gender == "female" else "m3")
    return f"{best.id}+{chosen}"


def _serve(request: dict[str, Any]) -> dict[str, Any]:
    import pyttsx3

    try:
        engine = pyttsx3.init()
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}", "kind": "engine"}
    voices = engine.getProperty("voices")
    if request.get("action") == "voices":
        return {
            "voices": [
                {
                    "id": v.id,
                    "name": v.name,
                    "languages": [str(x) for x in v.languages or []],
                    "gender": v.gender,
                }
                for v in voices
            ]
        }
    results = []
    for job in request["jobs"]:
        try:
            voice = pick_voice(voices, job["language"], job["gender"], job["variant"])
            engine.setProperty("voice", voice)
            engine.setProperty("rate", job["rate"])
            ok = False
            for _ in range(RENDER_TRIES):
                engine.save_to_file(job["text"], job["out"])
                engine.runAndWait()
                ok = os.path.getsize(job["out"]) > 44  # more than a WAV header
                if ok:
                    break
            results.append({"out": job["out"], "voice": voice, "ok": ok})
        except Exception as error:
            results.append({"out": job["out"], "ok": False, "error": f"{type(error).__name__}: {error}"})
    return {"results": results}


def main() -> None:
    reply_fd = os.dup(1)
    os.dup2(2, 1)  # whatever pyttsx3 prints goes to stderr
    request = json.load(sys.stdin)
    reply = _serve(request)
    with os.fdopen(reply_fd, "w") as reply_stream:
        json.dump(reply, reply_stream)


if __name__ == "__main__":
    main()
