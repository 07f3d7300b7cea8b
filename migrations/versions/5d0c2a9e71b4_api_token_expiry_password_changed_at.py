"""api tokens expire (users remember when their password was last set since the two-factor revision)

Existing tokens expire 90 days after they were created (those already older than that stop
working at once; create new ones under API tokens).

Revision ID: 5d0c2a9e71b4
Revises: 2b6f0d1852e1
Create Date: 2026-12-04 18:40:00.000000

"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d0c2a9e71b4'
down_revision = '2b6f0d1852e1'
branch_labels = None
depends_on = None

EXISTING_TOKEN_DAYS = 90


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table('api_tokens', sa.column('id', sa.Integer()),
                      sa.column('created_at', sa.DateTime(timezone=True)),
                      sa.column('expires_at', sa.DateTime(timezone=True)))
    connection = op.get_bind()
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)):
        connection.execute(tokens.update().where(tokens.c.id == token_id).values(
            expires_at=created_at + timedelta(days=EXISTING_TOKEN_DAYS)))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
