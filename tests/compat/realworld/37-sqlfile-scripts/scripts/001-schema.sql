-- schema of the greeting service
CREATE TABLE greeting (lang char(2), text varchar(100));
CREATE UNIQUE INDEX uq_greeting_lang ON greeting (lang);
