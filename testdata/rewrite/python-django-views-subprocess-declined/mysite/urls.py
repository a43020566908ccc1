from reports import views
urlpatterns=[]
