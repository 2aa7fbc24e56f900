"""Initial schema: users, boards, threads, posts, revisions, tags.

The threads.accepted_answer_id foreign key points at posts, which is created after threads, so
it is added once both tables exist (PostgreSQL checks the target at once; batch mode on SQLite).

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa
import app.models.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('boards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boards')),
    sa.UniqueConstraint('slug', name=op.f('uq_boards_slug'))
    )
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boards_position'), ['position'], unique=False)

    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), server_default='member', nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('suspended_until', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('suspension_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("role IN ('member', 'moderator', 'admin')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_created_at'), ['created_at'], unique=False)
    op.create_index('ix_users_display_name_lower', 'users', [sa.text('lower(display_name)')], unique=True)

    op.create_table('threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('slug', sa.String(length=160), nullable=False),
    sa.Column('status', sa.String(length=8), server_default='open', nullable=False),
    sa.Column('is_locked', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('accepted_answer_id', sa.Integer(), nullable=True),
    sa.Column('view_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('answer_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_activity_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'solved')", name=op.f('ck_threads_status')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_threads_author_id_users')),
    sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_threads_board_id_boards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threads'))
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index('ix_threads_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index('ix_threads_board_activity', ['board_id', 'last_activity_at'], unique=False)
        batch_op.create_index('ix_threads_board_answers_created', ['board_id', 'answer_count', 'created_at'], unique=False)
        batch_op.create_index('ix_threads_board_created', ['board_id', 'created_at'], unique=False)
        batch_op.create_index('ix_threads_board_status_activity', ['board_id', 'status', 'last_activity_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_last_activity_at'), ['last_activity_at'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('question', 'answer', 'comment')", name=op.f('ck_posts_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_posts_author_id_users')),
    sa.ForeignKeyConstraint(['parent_id'], ['posts.id'], name=op.f('fk_posts_parent_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_posts_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_author_kind_created', ['author_id', 'kind', 'created_at'], unique=False)
        batch_op.create_index('ix_posts_one_question_per_thread', ['thread_id'], unique=True, sqlite_where=sa.text("kind = 'question'"), postgresql_where=sa.text("kind = 'question'"))
        batch_op.create_index(batch_op.f('ix_posts_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_posts_thread_kind_created', ['thread_id', 'kind', 'created_at'], unique=False)
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_threads_accepted_answer_id_posts'), 'posts',
                                    ['accepted_answer_id'], ['id'], ondelete='SET NULL')

    op.create_table('thread_tags',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_thread_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_tags_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'tag_id', name=op.f('pk_thread_tags'))
    )
    with op.batch_alter_table('thread_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=True),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_revisions_editor_id_users')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_revisions_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('post_id', 'number', name='uq_revisions_post_number')
    )


def downgrade() -> None:
    op.drop_table('revisions')
    with op.batch_alter_table('thread_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_tags_tag_id'))

    op.drop_table('thread_tags')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_thread_kind_created')
        batch_op.drop_index(batch_op.f('ix_posts_parent_id'))
        batch_op.drop_index('ix_posts_one_question_per_thread', sqlite_where=sa.text("kind = 'question'"), postgresql_where=sa.text("kind = 'question'"))
        batch_op.drop_index('ix_posts_author_kind_created')

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_threads_accepted_answer_id_posts'), type_='foreignkey')
    op.drop_table('posts')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_threads_last_activity_at'))
        batch_op.drop_index('ix_threads_board_status_activity')
        batch_op.drop_index('ix_threads_board_created')
        batch_op.drop_index('ix_threads_board_answers_created')
        batch_op.drop_index('ix_threads_board_activity')
        batch_op.drop_index('ix_threads_author_created')

    op.drop_table('threads')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_created_at'))
    op.drop_index('ix_users_display_name_lower', table_name='users')

    op.drop_table('users')
    op.drop_table('tags')
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boards_position'))

    op.drop_table('boards')
