# One entry point for the checks; the README's scripts do the work.
.PHONY: check serve bench
check:
	scripts/test
serve:
	scripts/serve
bench:
	.venv/bin/python bench/intake.py --complaints 500
	.venv/bin/python bench/intake.py --complaints 500 --database postgres
