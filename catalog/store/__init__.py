"""Storage: declarative models, engine set-up and Alembic-driven schema upgrades."""
