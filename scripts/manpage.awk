# A program's README.md as go-md2man's input: its title as the .TH line, a NAME section (the
# description scripts/manpages gives), each heading one level up (## SYNOPSIS is a section),
# and the blank line strict Markdown wants before a list or table that follows a paragraph
# (GitHub renders those without it; go-md2man would run them into the paragraph).
NR == 1 {
    sub(/^# /, "")
    printf "%s %s \"\" MailSuite \"MailSuite Manual\"\n==================\n\n# NAME\n%s \\- %s\n\n", $0, section, $0, desc
    prev = ""
    next
}
/^## / { sub(/^## /, "# ") }
/^### / { sub(/^### /, "## ") }
{
    starts = ($0 ~ /^(- |\* |[0-9]+\. |\|)/)
    inside = (prev ~ /^(- |\* |[0-9]+\. |\||  |$)/)
    if (starts && !inside) print ""
    print
    prev = $0
}
