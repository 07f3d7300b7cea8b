"""updates: new problems and typed priorities, frozen cited figures

Element 3 may add new SARA problems (their responses point at them) and typed priorities, each
result-based or community-input-based; priorities promoted before this revision came from
community feedback and are marked community-input-based. Each update keeps the figures it cites
from the moment it is submitted. A downgrade drops the new problems and the responses planned
for them.

Revision ID: 624f82de9bcc
Revises: 5d0c2a9e71b4
Create Date: 2026-12-04 18:29:18.817375

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '624f82de9bcc'
down_revision = '5d0c2a9e71b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_update_proposed_problems',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('sara_stage', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=False),
    sa.Column('analysis_notes', sa.Text(), nullable=False),
    sa.Column('priority_id', sa.Integer(), nullable=True),
    sa.Column('proposed_priority_id', sa.Integer(), nullable=True),
    sa.Column('basis', sa.String(length=30), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['priority_id'], ['plan_priorities.id'], name=op.f('fk_plan_update_proposed_problems_priority_id_plan_priorities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_priority_id'], ['plan_update_proposed_priorities.id'], name=op.f('fk_plan_update_proposed_problems_proposed_priority_id_plan_update_proposed_priorities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['update_id'], ['plan_updates.id'], name=op.f('fk_plan_update_proposed_problems_update_id_plan_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_update_proposed_problems'))
    )
    with op.batch_alter_table('plan_update_proposed_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_update_proposed_problems_update_id'), ['update_id'], unique=False)

    with op.batch_alter_table('plan_response_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_problem_id', sa.Integer(), nullable=True))
        batch_op.alter_column('problem_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_plan_response_changes_proposed_problem_id'), ['proposed_problem_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_plan_response_changes_proposed_problem_id_plan_update_proposed_problems'), 'plan_update_proposed_problems', ['proposed_problem_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('plan_update_proposed_priorities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=30), nullable=False,
                                      server_default='community_input_based'))
        batch_op.add_column(sa.Column('rationale', sa.Text(), nullable=False,
                                      server_default=''))

    with op.batch_alter_table('plan_update_proposed_priorities', schema=None) as batch_op:
        batch_op.alter_column('basis', server_default=None)
        batch_op.alter_column('rationale', server_default=None)

    with op.batch_alter_table('plan_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cited_figures', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('figures_frozen_on', sa.Date(), nullable=True))



def downgrade():
    op.execute("DELETE FROM plan_response_changes WHERE problem_id IS NULL")
    with op.batch_alter_table('plan_updates', schema=None) as batch_op:
        batch_op.drop_column('figures_frozen_on')
        batch_op.drop_column('cited_figures')

    with op.batch_alter_table('plan_update_proposed_priorities', schema=None) as batch_op:
        batch_op.drop_column('rationale')
        batch_op.drop_column('basis')

    with op.batch_alter_table('plan_response_changes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_plan_response_changes_proposed_problem_id_plan_update_proposed_problems'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_plan_response_changes_proposed_problem_id'))
        batch_op.alter_column('problem_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('proposed_problem_id')

    with op.batch_alter_table('plan_update_proposed_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_update_proposed_problems_update_id'))

    op.drop_table('plan_update_proposed_problems')
