"""Where to turn: outside help for every situation, one tap away from every page."""

import streamlit as st

from views.parts.care import show_where_to_turn

st.title("Where to turn")
st.markdown(
    "Closer is not therapy. When things feel heavy or stuck, talking with someone outside "
    "the two of you is an ordinary, sensible step. Here is who can help, and when."
)
show_where_to_turn()
