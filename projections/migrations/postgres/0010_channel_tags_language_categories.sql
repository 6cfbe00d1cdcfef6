ALTER TABLE channels ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE channels ADD COLUMN language text NOT NULL DEFAULT '';

-- The catalog of games and categories a channel may pick (reference data, not events).
CREATE TABLE categories (
    name text PRIMARY KEY,
    kind text NOT NULL DEFAULT 'game'
);
INSERT INTO categories (name, kind) VALUES
    ('Just Chatting', 'irl'), ('Music', 'creative'), ('Art', 'creative'),
    ('Software and Game Development', 'creative'), ('Retro', 'game'), ('Speedrunning', 'game'),
    ('Chess', 'game'), ('Celeste', 'game'), ('Elden Ring', 'game'), ('Minecraft', 'game'),
    ('Fortnite', 'game'), ('League of Legends', 'game'), ('Counter-Strike 2', 'game'),
    ('Valorant', 'game'), ('Dota 2', 'game'), ('Grand Theft Auto V', 'game'),
    ('Apex Legends', 'game'), ('World of Warcraft', 'game'), ('Hollow Knight', 'game'),
    ('Stardew Valley', 'game'), ('The Legend of Zelda: Tears of the Kingdom', 'game'),
    ('Super Mario 64', 'game'), ('Baldur''s Gate 3', 'game'), ('Hades II', 'game'),
    ('Rocket League', 'game'), ('Overwatch 2', 'game'), ('Tetris', 'game');
