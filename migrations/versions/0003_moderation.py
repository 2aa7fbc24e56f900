"""Post-moderation: review state on posts, flags, the audit log, official answers, merges, archive.

Posts that exist before this migration were live before there was any review; they become
"approved" with no reviewer (reviewed_at stays empty) instead of flooding the new queue.
The audit log refuses UPDATE at the database level: it is append-only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa
import app.models.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('flagger_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['flagger_id'], ['users.id'], name=op.f('fk_flags_flagger_id_users')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_flags_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('post_id', 'flagger_id', name='uq_flags_post_flagger')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_open', ['resolved_at', 'post_id'], unique=False)

    op.create_table('moderation_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('board_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('before_text', sa.Text(), nullable=True),
    sa.Column('after_text', sa.Text(), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_moderation_log_actor_id_users')),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_moderation_log_board_id_boards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_moderation_log_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_user_id'], ['users.id'], name=op.f('fk_moderation_log_target_user_id_users')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_moderation_log_thread_id_threads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_log'))
    )
    with op.batch_alter_table('moderation_log', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_log_action_created', ['action', 'created_at'], unique=False)
        batch_op.create_index('ix_moderation_log_actor_created', ['actor_id', 'created_at'], unique=False)
        batch_op.create_index('ix_moderation_log_created', ['created_at'], unique=False)
        batch_op.create_index('ix_moderation_log_post', ['post_id'], unique=False)
        batch_op.create_index('ix_moderation_log_target_user', ['target_user_id', 'created_at'], unique=False)

    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_archived', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('posted_as_staff', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('thread_views_at_post', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('review_state', sa.String(length=10), server_default='unreviewed', nullable=False))
        batch_op.add_column(sa.Column('reviewed_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('views_at_review', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edited_after_approval', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('hidden_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('hidden_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hidden_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hidden_accepted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hidden_official_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edit_request_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('edit_requested_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('edit_requested_by_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_posts_review_state_created', ['review_state', 'created_at'], unique=False)
        batch_op.create_check_constraint(op.f('ck_posts_review_state'),
                                         "review_state IN ('unreviewed', 'approved', 'hidden')")
        batch_op.create_foreign_key(batch_op.f('fk_posts_reviewed_by_id_users'), 'users', ['reviewed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_posts_edit_requested_by_id_users'), 'users', ['edit_requested_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_posts_hidden_by_id_users'), 'users', ['hidden_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_posts_hidden_official_by_id_users'), 'users', ['hidden_official_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_posts_hidden_accepted_by_id_users'), 'users', ['hidden_accepted_by_id'], ['id'])

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('official_answer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('official_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('official_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('is_hidden', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_threads_merged_into_id', ['merged_into_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_threads_merged_into_id_threads'), 'threads', ['merged_into_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_threads_official_by_id_users'), 'users', ['official_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_threads_official_answer_id_posts'), 'posts', ['official_answer_id'], ['id'], ondelete='SET NULL', use_alter=True)

    op.execute("UPDATE posts SET review_state = 'approved'")
    op.execute("UPDATE posts SET posted_as_staff = true WHERE author_id IN "
               "(SELECT id FROM users WHERE role IN ('moderator', 'admin'))")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TRIGGER moderation_log_append_only BEFORE UPDATE ON moderation_log "
                   "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END")
    else:
        op.execute("CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'the moderation log is append-only'; END $$")
        op.execute("CREATE TRIGGER moderation_log_append_only BEFORE UPDATE ON moderation_log "
                   "FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only()")



def downgrade() -> None:
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_threads_official_answer_id_posts'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_threads_official_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_threads_merged_into_id_threads'), type_='foreignkey')
        batch_op.drop_index('ix_threads_merged_into_id')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('is_hidden')
        batch_op.drop_column('official_at')
        batch_op.drop_column('official_by_id')
        batch_op.drop_column('official_answer_id')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_hidden_accepted_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posts_hidden_official_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posts_hidden_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posts_edit_requested_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_posts_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_posts_review_state_created')
        batch_op.drop_constraint(op.f('ck_posts_review_state'), type_='check')
        batch_op.drop_column('edit_requested_by_id')
        batch_op.drop_column('edit_requested_at')
        batch_op.drop_column('edit_request_reason')
        batch_op.drop_column('hidden_official_by_id')
        batch_op.drop_column('hidden_accepted_by_id')
        batch_op.drop_column('hidden_by_id')
        batch_op.drop_column('hidden_at')
        batch_op.drop_column('hidden_note')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('edited_after_approval')
        batch_op.drop_column('views_at_review')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('review_state')
        batch_op.drop_column('thread_views_at_post')
        batch_op.drop_column('posted_as_staff')

    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_column('is_archived')

    with op.batch_alter_table('moderation_log', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_log_target_user')
        batch_op.drop_index('ix_moderation_log_post')
        batch_op.drop_index('ix_moderation_log_created')
        batch_op.drop_index('ix_moderation_log_actor_created')
        batch_op.drop_index('ix_moderation_log_action_created')

    op.execute("DROP TRIGGER moderation_log_append_only" + ("" if op.get_bind().dialect.name == "sqlite"
                                                              else " ON moderation_log"))
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION moderation_log_append_only()")
    op.drop_table('moderation_log')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_open')

    op.drop_table('flags')
