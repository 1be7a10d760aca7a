"""The Textual editor: the only package in composer that imports textual."""
