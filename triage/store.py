"""The trained model on disk: written atomically by ``train_triage``, read by every
process, and re-read when the file changes (its mtime), so a retrain needs no restart."""

import logging
import os
import threading

import joblib

from triage import conf
from triage.classifier import FORMAT_VERSION, TriageModel

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_cache = {"key": None, "model": None}


def save(model: TriageModel, path=None):
    path = path or conf.model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    joblib.dump(model, temporary)
    os.replace(temporary, path)  # readers see the old file or the new one, never half
    return path


def current_model():
    """The latest trained model, or None before the first ``train_triage``."""
    path = conf.model_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if _cache["key"] == key:
        return _cache["model"]
    with _lock:
        if _cache["key"] != key:
            try:
                model = joblib.load(path)
            except Exception:
                logger.exception("Triage model %s could not be read", path)
                model = None
            if model is not None and getattr(model, "format_version", None) != FORMAT_VERSION:
                logger.warning("Triage model %s has an old format; run train_triage", path)
                model = None
            _cache.update(key=key, model=model)
    return _cache["model"]


def version(model) -> str:
    return f"{int(model.trained_at)}-{model.n_examples}" if model is not None else ""
