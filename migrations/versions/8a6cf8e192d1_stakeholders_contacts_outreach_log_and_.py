"""stakeholders, contacts, outreach log and volunteers

Revision ID: 8a6cf8e192d1
Revises: 51b819f78bc3
Create Date: 2026-11-22 19:49:25.438475

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '8a6cf8e192d1'
down_revision = '51b819f78bc3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stakeholders',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('may_distrust_police', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_stakeholders_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholders'))
    )
    with op.batch_alter_table('stakeholders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholders_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_stakeholders_station_id'), ['station_id'], unique=False)

    op.create_table('volunteers',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_volunteers_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteers'))
    )
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteers_station_id'), ['station_id'], unique=False)

    op.create_table('stakeholder_contacts',
    sa.Column('stakeholder_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['stakeholder_id'], ['stakeholders.id'], name=op.f('fk_stakeholder_contacts_stakeholder_id_stakeholders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder_contacts'))
    )
    with op.batch_alter_table('stakeholder_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholder_contacts_stakeholder_id'), ['stakeholder_id'], unique=False)

    op.create_table('volunteer_languages',
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('language_code', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_volunteer_languages_volunteer_id_volunteers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_languages')),
    sa.UniqueConstraint('volunteer_id', 'language_code', name=op.f('uq_volunteer_languages_volunteer_id'))
    )
    with op.batch_alter_table('volunteer_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_languages_language_code'), ['language_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_languages_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('outreach_contacts',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('stakeholder_id', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('critical_comments', sa.Text(), nullable=False),
    sa.Column('critical_response', sa.Text(), nullable=False),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('follow_up_done', sa.Boolean(), nullable=False),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['logged_by_id'], ['users.id'], name=op.f('fk_outreach_contacts_logged_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stakeholder_id'], ['stakeholders.id'], name=op.f('fk_outreach_contacts_stakeholder_id_stakeholders')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_outreach_contacts_station_id_stations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_contacts'))
    )
    with op.batch_alter_table('outreach_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_contacts_contacted_on'), ['contacted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_contacts_follow_up_on'), ['follow_up_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_contacts_stakeholder_id'), ['stakeholder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_contacts_station_id'), ['station_id'], unique=False)

    op.create_table('outreach_contact_members',
    sa.Column('outreach_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_outreach_contact_members_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outreach_id'], ['outreach_contacts.id'], name=op.f('fk_outreach_contact_members_outreach_id_outreach_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('outreach_id', 'member_id', name=op.f('pk_outreach_contact_members'))
    )


def downgrade():
    op.drop_table('outreach_contact_members')
    with op.batch_alter_table('outreach_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_contacts_station_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_contacts_stakeholder_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_contacts_follow_up_on'))
        batch_op.drop_index(batch_op.f('ix_outreach_contacts_contacted_on'))

    op.drop_table('outreach_contacts')
    with op.batch_alter_table('volunteer_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_languages_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_languages_language_code'))

    op.drop_table('volunteer_languages')
    with op.batch_alter_table('stakeholder_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholder_contacts_stakeholder_id'))

    op.drop_table('stakeholder_contacts')
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteers_station_id'))

    op.drop_table('volunteers')
    with op.batch_alter_table('stakeholders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholders_station_id'))
        batch_op.drop_index(batch_op.f('ix_stakeholders_kind'))

    op.drop_table('stakeholders')
