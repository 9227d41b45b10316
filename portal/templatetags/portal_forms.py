from django import template

from portal.lib.form_html import field_html

register = template.Library()


@register.filter
def bs_field(bound_field):
    """`{{ form.name|bs_field }}`: the field as Bootstrap 5 markup (portal/lib/form_html.py)."""
    return field_html(bound_field)
