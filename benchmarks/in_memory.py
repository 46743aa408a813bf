"""Chart specs that page_times.py prepares before timing trends_floor.py (same process)."""

specs: dict[str, dict] = {}
