"""Password hashing, secrets and captcha images."""
