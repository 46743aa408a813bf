"""Moving between a form's steps keeps the keyboard in the form, at the new step's start."""

# A step change reruns the page and draws new widgets, so the button that was pressed is
# gone and the browser drops focus to the page itself: a keyboard or screen-reader user
# would start again from the top. After a tap on Back, Next or a "Change" button, this
# waits for the new step to be drawn and puts focus on its first control, scrolled into
# view (on a phone, the top of the new step). Static script, no user text.
STEP_FOCUS = """<style>
/* Scrolled to its start below Streamlit's top bar, step number included. */
[class*="st-key-checkin-step-"] { scroll-margin-top: 4rem; }
</style>
<script>
(() => {
  if (window.closerKeepsStepFocus) return;
  window.closerKeepsStepFocus = true;
  const stepOf = () => document.querySelector("[class*='st-key-checkin-step-']");
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !button.closest(".st-key-checkin-nav, .st-key-checkin-step-review")) return;
    const before = stepOf();
    const was = before ? before.className : "";
    let tries = 0;
    const look = () => {
      const now = stepOf();
      // Wait until the last run's widgets have gone too: Streamlit keeps them, faded
      // (data-stale), while the new step is drawn, and focus on one of those is lost.
      const settled = !document.querySelector("[data-stale='true']");
      if (now && now.className !== was && settled) {
        const first = now.querySelector(
          "button:not([disabled]), input:not([disabled]), textarea, [tabindex='0']");
        if (first) { first.focus({ preventScroll: true }); }
        now.scrollIntoView({ block: "start" });
        return;
      }
      if (++tries < 300) setTimeout(look, 50);  // up to 15 s: a busy machine draws slowly
    };
    setTimeout(look, 50);
  }, true);
})();
</script>"""
