-- A user's chosen chat colour ("#rrggbb"); NULL means the stable default drawn from their id.
ALTER TABLE users ADD COLUMN chat_color text;
