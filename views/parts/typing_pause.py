"""Words in a text box reach the app after a pause in typing, not only when the box is left."""

import streamlit as st

# Streamlit sends a text area's words to the app only when the box loses focus (or on
# Ctrl+Enter), so a reload or a closed tab mid-sentence lost the words still in the box.
# After a short pause in typing, this sends them the way Ctrl+Enter does: the box keeps
# its focus and caret (no blur, so a phone's keyboard stays up) and its on_change runs,
# which keeps the check-in draft. Boxes inside a form are left alone: there Ctrl+Enter
# submits the form. Static script, no user text: nothing typed ever reaches this HTML.
PAUSE_MS = 1200
SCRIPT = f"""<script>
(() => {{
  if (window.closerSendsAfterPause) return;
  window.closerSendsAfterPause = true;
  const timers = new WeakMap();
  document.addEventListener("input", (event) => {{
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement) || box.closest("[data-testid=stForm]")) return;
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(() => {{
      if (!box.isConnected || box.disabled) return;
      box.dispatchEvent(new KeyboardEvent("keydown", {{
        key: "Enter", code: "Enter", keyCode: 13, ctrlKey: true, bubbles: true,
      }}));
    }}, {PAUSE_MS}));
  }}, true);
}})();
</script>"""


def send_words_after_pause() -> None:
    """Add the script that sends a text area's words after a pause in typing."""
    st.html(SCRIPT, unsafe_allow_javascript=True)
