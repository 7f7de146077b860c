"""Entry point of the packaged program: the same as the smo-designer command."""

from smo_designer.cli import run

if __name__ == "__main__":
    run()
