ALTER TABLE users ADD COLUMN bio text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN profile_image_url text;
ALTER TABLE users ADD COLUMN updated_at timestamptz;
