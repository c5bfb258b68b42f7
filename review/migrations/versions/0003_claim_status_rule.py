"""claims.status_rule: the rule that decided a claim's status (done / planned)

Reviewers see why a claim was judged planned (计划章节, 句中有计划词…). Claims stored
before this revision get "" (no reason known) through the server default, so an existing
database upgrades in place and keeps every row; they get their reason at the next run
with new rules (claims are replaced whenever the rules version changes).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:12:40.118205
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_rule', sa.String(length=80), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_column('status_rule')
