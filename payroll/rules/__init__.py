"""Pure pay rules (DOMAIN A2–A8): plain values in, PayLines out. No Django here."""
