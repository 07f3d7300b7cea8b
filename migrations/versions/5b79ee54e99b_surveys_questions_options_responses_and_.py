"""surveys, questions, options, responses and answers

Revision ID: 5b79ee54e99b
Revises: 6e63044d08a6
Create Date: 2026-11-22 19:26:32.290877

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b79ee54e99b'
down_revision = '6e63044d08a6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('surveys',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('introduction', sa.JSON(), nullable=False),
    sa.Column('thank_you', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_surveys_owner_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_surveys_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('slug', name=op.f('uq_surveys_slug'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveys_station_id'), ['station_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveys_status'), ['status'], unique=False)

    op.create_table('survey_questions',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('index_role', sa.String(length=10), nullable=False),
    sa.Column('prompt', sa.JSON(), nullable=False),
    sa.Column('help_text', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_survey_submitted', ['survey_id', 'submitted_on'], unique=False)

    op.create_table('survey_answers',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Double(), nullable=True),
    sa.Column('option_value', sa.String(length=60), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_response_id'), ['response_id'], unique=False)

    op.create_table('survey_question_options',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_question_options_question_id_survey_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question_options'))
    )
    with op.batch_alter_table('survey_question_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_options_question_id'), ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_question_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_question_options_question_id'))

    op.drop_table('survey_question_options')
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_response_id'))
        batch_op.drop_index(batch_op.f('ix_survey_answers_question_id'))

    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_survey_submitted')

    op.drop_table('survey_responses')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_survey_id'))

    op.drop_table('survey_questions')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_status'))
        batch_op.drop_index(batch_op.f('ix_surveys_station_id'))
        batch_op.drop_index(batch_op.f('ix_surveys_owner_user_id'))

    op.drop_table('surveys')
